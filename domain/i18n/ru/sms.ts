// SMS are short: one segment of 70 Cyrillic characters where possible.
export default {
  booked: "{{school}}: вождение {{when}}, мастер {{instructor}}, авто {{vehicle}}",
  cancelled: "{{school}}: вождение {{when}} ОТМЕНЕНО: {{reason}}. Запись — в автошколе",
  tuitionDue: "{{school}}: {{date}} срок оплаты обучения {{amount}}",
  tuitionOverdue: "{{school}}: просрочен платёж за обучение {{amount}} (срок {{date}})",
  reminder: "{{school}}: завтра вождение {{when}}, мастер {{instructor}}",
  moved: "{{school}}: вождение {{was}} ПЕРЕНЕСЕНО на {{when}}, мастер {{instructor}}",
  series: "{{school}}: вождение каждую неделю с {{first}}, занятий: {{total}}, мастер {{instructor}}",
  dev: {
    title: "SMS разработчика",
    lead: "SMS, полученные локальным SMS-шлюзом (только в среде разработки). Новые сверху.",
    empty: "SMS пока нет",
    to: "Кому",
    at: "Получено",
  },
} as const;
