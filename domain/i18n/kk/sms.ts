// SMS are short: one segment of 70 Cyrillic characters where possible.
export default {
  booked: "{{school}}: жүргізу {{when}}, шебер {{instructor}}, көлік {{vehicle}}",
  cancelled: "{{school}}: {{when}} жүргізу БОЛДЫРЫЛМАДЫ: {{reason}}. Жазылу — автомектепте",
  tuitionDue: "{{school}}: оқу ақысы {{amount}}, мерзімі {{date}}",
  tuitionOverdue: "{{school}}: оқу ақысы {{amount}} мерзімінен өтті ({{date}})",
  reminder: "{{school}}: ертең жүргізу {{when}}, шебер {{instructor}}",
  moved: "{{school}}: {{was}} жүргізу {{when}} уақытына КӨШІРІЛДІ, шебер {{instructor}}",
  series: "{{school}}: апта сайын жүргізу, {{total}} сабақ, алғашқысы {{first}}, шебер {{instructor}}",
  dev: {
    title: "Әзірлеушінің SMS-тері",
    lead: "Жергілікті SMS-шлюз қабылдаған SMS (тек әзірлеу ортасында). Ең жаңасы жоғарыда.",
    empty: "Әзірге SMS жоқ",
    to: "Кімге",
    at: "Алынды",
  },
} as const;
