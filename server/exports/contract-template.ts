// The training contract between the school and a trainee: placeholders, the default text in each
// language (a plain starting point the school must check and adapt), checking a school's own text,
// and filling it in.

/** Every placeholder a template may use. The editor lists them with descriptions (exports:placeholders.*). */
export const PLACEHOLDERS = [
  "school.name",
  "school.binIin",
  "school.address",
  "school.directorName",
  "school.phone",
  "school.email",
  "trainee.fullName",
  "trainee.iin",
  "trainee.birthDate",
  "trainee.address",
  "trainee.phone",
  "trainee.email",
  "trainee.category",
  "trainee.gearbox",
  "contract.number",
  "contract.price",
  "programme.theoryHours",
  "programme.drivingHours",
  "group.number",
  "group.startsOn",
  "group.endsOn",
  "date",
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Bounds of a school's text: the default is ~4,000 characters with ~24 placeholders; a real contract fits well inside. */
export const MAX_TEMPLATE_CHARS = 30_000;
export const MAX_PLACEHOLDERS = 100;

/** How many placeholders a text uses (each occurrence counts). */
export function placeholderCount(body: string): number {
  let n = 0;
  for (const _ of body.matchAll(PATTERN)) n++;
  return n;
}

/** The placeholders a text uses that the system doesn't know, each once, as written. */
export function unknownPlaceholders(body: string): string[] {
  const known = new Set<string>(PLACEHOLDERS);
  const bad = new Set<string>();
  for (const m of body.matchAll(PATTERN)) if (!known.has(m[1]!)) bad.add(m[1]!);
  return [...bad];
}

/** The text with every placeholder replaced; an empty value reads as a blank line to fill by hand. */
export function fillTemplate(body: string, values: Record<Placeholder, string>): string {
  return body.replace(PATTERN, (_all, name: string) => {
    const v = values[name as Placeholder];
    return v === undefined ? `{{${name}}}` : v.trim() === "" ? "__________" : v;
  });
}

export const DEFAULT_TEMPLATES = {
  kk: `# ЖҮРГІЗУШІЛЕРДІ ДАЯРЛАУ БОЙЫНША ҚЫЗМЕТ КӨРСЕТУ ШАРТЫ № {{contract.number}}

Жасалған күні: {{date}}

{{school.name}} (БСН/ЖСН {{school.binIin}}, мекенжайы: {{school.address}}), бұдан әрі «Автомектеп», басшысы {{school.directorName}} атынан, бір тараптан, және {{trainee.fullName}} (ЖСН {{trainee.iin}}, туған күні {{trainee.birthDate}}), бұдан әрі «Оқушы», екінші тараптан, осы шартты төмендегілер туралы жасасты.

## 1. Шарттың мәні
1.1. Автомектеп Оқушыны {{trainee.category}} санатындағы көлік құралы жүргізушісін даярлау бағдарламасы бойынша оқытады (беріліс қорабы: {{trainee.gearbox}}), ал Оқушы оқу ақысын төлеуге және бағдарламаны меңгеруге міндеттенеді.
1.2. Бағдарламаның көлемі: теориялық сабақтар — {{programme.theoryHours}} сағат, практикалық жүргізу — {{programme.drivingHours}} сағат.
1.3. Оқу мерзімі: {{group.startsOn}} бастап {{group.endsOn}} дейін, {{group.number}} тобында.

## 2. Оқу құны және төлеу тәртібі
2.1. Оқудың жалпы құны — {{contract.price}}.
2.2. Оқушы ақыны Автомектептің кассасына немесе банктік шотына төлейді. Төлем кестесін тараптар жазбаша келіседі; толық төлем ішкі практикалық емтиханға дейін жасалады.
2.3. Оқушы себепсіз келмеген жүргізу сабағы қайта өткізілсе, ол Автомектептің бекіткен бағасы бойынша бөлек төленеді.

## 3. Автомектептің міндеттері
3.1. Оқытуды бекітілген бағдарлама мен кесте бойынша білікті оқытушылар мен жүргізуге үйрету шеберлерінің күшімен жүргізу.
3.2. Практикалық сабақтарға техникалық жағынан жарамды, сақтандырылған, қосарланған басқаруы бар оқу көлігін беру.
3.3. Оқушының сабаққа қатысуын және өткен жүргізу сағаттарын есепке алу.
3.4. Бағдарламаны толық меңгеріп, ішкі емтихандарды тапсырған Оқушыға оқуды аяқтағаны туралы куәлік беру.

## 4. Оқушының міндеттері
4.1. Оқу ақысын уақтылы төлеу.
4.2. Сабақтарға кесте бойынша қатысу, келе алмайтынын кемінде бір тәулік бұрын хабарлау.
4.3. Жарамды медициналық анықтаманы ұсыну.
4.4. Автомектептің ішкі тәртіп ережелері мен қауіпсіздік талаптарын сақтау.

## 5. Шарттың мерзімі және бұзылуы
5.1. Шарт қол қойылған күннен бастап күшіне енеді және тараптар міндеттемелерін толық орындағанға дейін қолданылады.
5.2. Оқушы шартты кез келген уақытта бұза алады; бұл жағдайда іс жүзінде көрсетілген қызметтердің құны ұсталып, қалған сома қайтарылады.
5.3. Даулар келіссөз арқылы шешіледі, келісімге келмесе — Қазақстан Республикасының заңнамасына сәйкес сот тәртібімен.

## 6. Қорытынды ережелер
6.1. Шарт бірдей заңды күші бар екі данада жасалды, әр тарапқа бір данадан.
6.2. Оқушы оқуды ұйымдастыру мақсатында өзінің дербес деректерін жинауға және өңдеуге келісім береді.

## 7. Тараптардың деректемелері мен қолдары
Автомектеп: {{school.name}}, БСН/ЖСН {{school.binIin}}, {{school.address}}, тел. {{school.phone}}, e-mail {{school.email}}
Басшы: ____________________ {{school.directorName}}

Оқушы: {{trainee.fullName}}, ЖСН {{trainee.iin}}, {{trainee.address}}, тел. {{trainee.phone}}, e-mail {{trainee.email}}
Қолы: ____________________`,
  ru: `# ДОГОВОР № {{contract.number}} ОБ ОКАЗАНИИ УСЛУГ ПО ПОДГОТОВКЕ ВОДИТЕЛЕЙ

Дата заключения: {{date}}

{{school.name}} (БИН/ИИН {{school.binIin}}, адрес: {{school.address}}), далее «Автошкола», в лице руководителя {{school.directorName}}, с одной стороны, и {{trainee.fullName}} (ИИН {{trainee.iin}}, дата рождения {{trainee.birthDate}}), далее «Курсант», с другой стороны, заключили настоящий договор о нижеследующем.

## 1. Предмет договора
1.1. Автошкола обучает Курсанта по программе подготовки водителей транспортных средств категории {{trainee.category}} (коробка передач: {{trainee.gearbox}}), а Курсант обязуется оплатить обучение и освоить программу.
1.2. Объём программы: теоретические занятия — {{programme.theoryHours}} ч, практическое вождение — {{programme.drivingHours}} ч.
1.3. Срок обучения: с {{group.startsOn}} по {{group.endsOn}}, в группе {{group.number}}.

## 2. Стоимость обучения и порядок оплаты
2.1. Общая стоимость обучения — {{contract.price}}.
2.2. Курсант оплачивает обучение в кассу или на банковский счёт Автошколы. График платежей стороны согласуют письменно; полная оплата вносится до внутреннего практического экзамена.
2.3. Повторное занятие по вождению взамен пропущенного Курсантом без уважительной причины оплачивается отдельно по утверждённым Автошколой ценам.

## 3. Обязанности Автошколы
3.1. Проводить обучение по утверждённой программе и расписанию силами квалифицированных преподавателей и мастеров производственного обучения вождению (мастеров ПОВ).
3.2. Предоставлять для практических занятий технически исправное, застрахованное учебное транспортное средство с дублирующими педалями.
3.3. Вести учёт посещаемости и часов вождения Курсанта.
3.4. Выдать Курсанту, полностью освоившему программу и сдавшему внутренние экзамены, свидетельство об окончании обучения.

## 4. Обязанности Курсанта
4.1. Своевременно оплачивать обучение.
4.2. Посещать занятия по расписанию, предупреждать о пропуске не позднее чем за сутки.
4.3. Предоставить действующую медицинскую справку.
4.4. Соблюдать правила внутреннего распорядка и требования безопасности Автошколы.

## 5. Срок действия и расторжение договора
5.1. Договор вступает в силу с момента подписания и действует до полного исполнения сторонами обязательств.
5.2. Курсант вправе расторгнуть договор в любое время; в этом случае удерживается стоимость фактически оказанных услуг, остаток возвращается.
5.3. Споры разрешаются переговорами, а при недостижении согласия — в судебном порядке в соответствии с законодательством Республики Казахстан.

## 6. Заключительные положения
6.1. Договор составлен в двух экземплярах, имеющих одинаковую юридическую силу, по одному для каждой стороны.
6.2. Курсант даёт согласие на сбор и обработку своих персональных данных в целях организации обучения.

## 7. Реквизиты и подписи сторон
Автошкола: {{school.name}}, БИН/ИИН {{school.binIin}}, {{school.address}}, тел. {{school.phone}}, e-mail {{school.email}}
Руководитель: ____________________ {{school.directorName}}

Курсант: {{trainee.fullName}}, ИИН {{trainee.iin}}, {{trainee.address}}, тел. {{trainee.phone}}, e-mail {{trainee.email}}
Подпись: ____________________`,
} as const;
