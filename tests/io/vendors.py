"""Files shaped like real CRM and address-book exports, written by the tests themselves.

Import it from a test module beside it (the tests run in importlib mode, so put this
folder on the path first)::

    sys.path.insert(0, str(Path(__file__).parent))
    from vendors import SHAPES, write


    rows = write(SHAPES["bitrix24"], tmp_path / "contacts.csv", rows=50)
    mapping = suggest_mapping(SHAPES["bitrix24"].headers)   # no hand-written mapping

Each :class:`Shape` holds a vendor's real header list (where it came from is in
``source``), the file's format, encoding, delimiter, trailing delimiter and footer
lines, the phone region and date order its cells are written in, and ``expected``: the
target text ``suggest_mapping`` must give each header (headers not in it must stay
unmapped). :func:`write` writes N generated rows (names in the vendor's languages,
e-mails, phones in the region's written forms, dates in the vendor's form, several
values in one cell where the vendor does that) and returns a :class:`Row` per record
with the physical line it starts on and the values it holds, cleaned (E.164 phones,
lower-case e-mails, ``date`` birthdays), so a test can compare what was imported.

Country columns hold ISO codes ("NO"); real exports often hold country names.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import random
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import vendor_headers as headers
from anyascii import anyascii

from custdb import normalize

__all__ = ["SHAPES", "Company", "Person", "Row", "Shape", "write"]


@dataclasses.dataclass(frozen=True)
class Shape:
    """One vendor's export: see the module docstring."""

    vendor: str
    entity: str
    headers: tuple[str, ...]
    expected: Mapping[str, str]
    key: str  # the header of the column the default key must be
    source: str
    format: str = "csv"  # "csv" or "xlsx"
    encoding: str | None = "utf-8"
    delimiter: str | None = ","
    trailing_delimiter: bool = False
    footer: tuple[str, ...] = ()
    quote_all: bool = False
    region: str = "US"
    dates: str = "iso"  # "iso" 1985-04-23, "dmy" 23.04.1985, "mdy" 4/23/1985
    languages: tuple[str, ...] = ("en",)
    separator: str = ", "  # between several values in one cell

    @property
    def dayfirst(self) -> bool | None:
        return {"iso": None, "dmy": True, "mdy": False}[self.dates]


@dataclasses.dataclass(frozen=True)
class Person:
    """What a generated contact row holds, cleaned."""

    external_id: str | None
    first_name: str
    last_name: str
    middle_name: str | None
    emails: tuple[tuple[str | None, str], ...]  # (label, address), primary first
    phones: tuple[tuple[str | None, str], ...]  # (label, E.164), primary first
    birthday: dt.date | None
    company: str | None
    job_title: str | None
    city: str | None


@dataclasses.dataclass(frozen=True)
class Company:
    """What a generated company row holds, cleaned."""

    external_id: str | None
    name: str
    domain: str
    phones: tuple[tuple[str | None, str], ...]
    city: str | None
    employee_count: int


@dataclasses.dataclass(frozen=True)
class Row:
    line: int  # physical line the row starts on; header = 1 (XLSX: the sheet row)
    cells: dict[str, Any]  # header -> the cell as written
    record: Person | Company


# fmt: off
_FIRST = {
    "en": ("James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda"),
    "es": ("María", "José", "Lucía", "Javier", "Carmen", "Álvaro", "Sofía", "Inés"),
    "no": ("Ola", "Kari", "Ingrid", "Lars", "Sigrid", "Øystein", "Åse", "Håkon"),
    "de": ("Lukas", "Anna", "Jürgen", "Sophie", "Maximilian", "Lea", "Günther", "Jörg"),
    "zh": ("伟", "芳", "娜", "敏", "静", "磊", "洋", "艳"),
    "ru": ("Иван", "Ольга", "Сергей", "Наталья", "Алексей", "Елена", "Дмитрий", "Татьяна"),
}
_LAST = {
    "en": ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson"),
    "es": ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Muñoz"),
    "no": ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Bjørnstad"),
    "de": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Größer"),
    "zh": ("王", "李", "张", "刘", "陈", "杨", "黄"),
    "ru": ("Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Новиков"),
}
_RU_WOMEN = frozenset({"Ольга", "Наталья", "Елена", "Татьяна"})
_RU_FATHERS = ("Иван", "Пётр", "Сергей", "Алексей", "Николай")
_COMPANIES = {
    "en": ("Acme Corp", "Globex Inc", "Initech LLC"), "es": ("Talleres Ruiz S.L.", "Frutas Sol S.A."),
    "no": ("Fjord Fisk AS", "Nordlys Bygg AS"), "de": ("Huber GmbH", "Bäckerei Weiß KG"),
    "zh": ("华为技术有限公司", "北京小米科技"), "ru": ("ООО «Ромашка»", "АО «Северсталь»", "ИП Петров"),
}  # fmt: skip
_CITIES = {"en": "Boston", "es": "Sevilla", "no": "Tromsø", "de": "München", "zh": "北京",
           "ru": "Нижний Новгород"}  # fmt: skip
_TITLES = {"en": "Buyer", "es": "Gerente", "no": "Innkjøpssjef", "de": "Einkäufer",
           "zh": "经理", "ru": "Менеджер по закупкам"}  # fmt: skip
_DOMAINS = {"en": "example.com", "es": "example.es", "no": "example.no", "de": "example.de",
            "zh": "example.cn", "ru": "example.ru"}  # fmt: skip
_LABEL_WORDS = {"work": "Work", "home": "Home", "mobile": "Mobile", "other": "Other"}

# Phone forms per region: (prefix choices, digits to draw); the number is checked below.
_PHONE_FORMS = {
    "US": ("({a}) {b}-{c}", "+1 {a}-{b}-{c}"),
    "RU": ("8 (9{x2}) {x3}-{x2b}-{x2c}", "+7 9{x2} {x3}-{x2b}-{x2c}", "+7 (495) {x3}-{x2b}-{x2c}"),
    "NO": ("9{x2} {x2b} {x3}", "+47 4{x2} {x2b} {x3}"),
    "DE": ("0151 {x4}{x4b}", "+49 30 {x3}{x4}", "030 {x3}{x4}"),
    "ES": ("6{x2} {x2b} {x2c} {x2}", "+34 6{x2} {x3} {x3b}"),
    "CN": ("138 {x4} {x4b}", "+86 139 {x4} {x4b}"),
}  # fmt: skip
# fmt: on


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _phone(rng: random.Random, region: str) -> tuple[str, str]:
    """``(as written, E.164)`` of a number in one of the region's written forms."""
    while True:
        form = rng.choice(_PHONE_FORMS[region])
        raw = form.format(
            a=rng.choice(("212", "415", "617", "312")), b=str(rng.randint(201, 989)),
            c=_digits(rng, 4), x2=_digits(rng, 2), x2b=_digits(rng, 2), x2c=_digits(rng, 2),
            x3=_digits(rng, 3), x3b=_digits(rng, 3), x4=_digits(rng, 4), x4b=_digits(rng, 4),
        )  # fmt: skip
        try:
            return raw, normalize.phone(raw, region)
        except ValueError:
            continue


def _date(day: dt.date, form: str) -> str:
    if form == "dmy":
        return day.strftime("%d.%m.%Y")
    if form == "mdy":
        return f"{day.month}/{day.day}/{day.year}"
    return day.isoformat()


def _address(rng: random.Random, first: str, last: str, language: str, n: int) -> str:
    local = anyascii(f"{first}.{last}").lower().replace("'", "").replace(" ", "")
    return f"{local}{n}@{rng.choice(('mail.', ''))}{_DOMAINS[language]}"


def _record_id(shape: Shape, n: int) -> str:
    return {
        "hubspot": f"{51000000000 + n * 7919}",
        "salesforce": f"0035g00000{n:06d}AAA"[:18],
        "zoho": f"zcrm_4876876000000{n:06d}",
    }.get(shape.vendor, str(10000 + n))


@dataclasses.dataclass
class _Columns:
    """A shape's e-mail and phone columns, in file order: (header, label, label column)."""

    emails: list[tuple[str, str | None, str | None]]
    phones: list[tuple[str, str | None, str | None]]

    @classmethod
    def of(cls, shape: Shape) -> _Columns:
        found: dict[str, list[tuple[str, str | None, str | None]]] = {"email": [], "phone": []}
        for header in shape.headers:
            text = shape.expected.get(header, "")
            kind, _, rest = text.partition("[")
            base, _, label = kind.partition(":")
            if base in found:
                found[base].append((header, label or None, rest[:-1] or None))
        return cls(found["email"], found["phone"])


def _contact_cells(shape: Shape, rng: random.Random, n: int) -> tuple[dict[str, Any], Person]:
    language = shape.languages[n % len(shape.languages)]
    first, last = rng.choice(_FIRST[language]), rng.choice(_LAST[language])
    middle = None
    if language == "ru":
        woman = first in _RU_WOMEN
        last += "а" if woman else ""
        middle = rng.choice(_RU_FATHERS).replace("Пётр", "Петр") + ("овна" if woman else "ович")
        middle = middle.replace("йович", "евич").replace("йовна", "евна")
    cells: dict[str, Any] = {}
    columns = _Columns.of(shape)
    emails, phones = [], []
    for position, (header, fixed, label_column) in enumerate(columns.emails):
        count = (1 + (n % 3 == 0 and bool(shape.separator))) if position == 0 else n % 2
        values = [_address(rng, first, last, language, n * 10 + position * 3 + k)
                  for k in range(count)]  # fmt: skip
        label = fixed or (("work", "home")[position % 2] if label_column else None)
        _labelled(cells, header, label_column, label=label, position=position, values=values,
                  separator=shape.separator)  # fmt: skip
        emails += [(label, value.lower()) for value in values]
    for position, (header, fixed, label_column) in enumerate(columns.phones):
        count = 1 if position == 0 else n % 2
        drawn = [_phone(rng, shape.region) for _ in range(count)]
        label = fixed or (("mobile", "work")[position % 2] if label_column else None)
        _labelled(cells, header, label_column, label=label, position=position,
                  values=[r for r, _ in drawn], separator=shape.separator)  # fmt: skip
        phones += [(label, e164) for _, e164 in drawn]
    birthday = None if n % 5 == 4 else dt.date(1950 + n % 50, 1 + n % 12, 1 + (n * 7) % 28)
    company = None if n % 4 == 3 else rng.choice(_COMPANIES[language])
    person = Person(
        _record_id(shape, n), first, last, middle, tuple(emails), tuple(phones), birthday,
        company, _TITLES[language], _CITIES[language],
    )  # fmt: skip
    for header in shape.headers:
        if header not in cells:
            cells[header] = _contact_cell(shape, header, person, language, n)
    return cells, person


def _labelled(
    cells: dict[str, Any], header: str, label_column: str | None, *, label: str | None,
    position: int, values: list[str], separator: str,
) -> None:  # fmt: skip
    joiner = " ::: " if label_column else separator
    cells[header] = joiner.join(values)
    if label_column:
        word = _LABEL_WORDS[label] if label and values else ""
        cells[label_column] = f"* {word}" if position == 0 and values else word


def _contact_cell(shape: Shape, header: str, person: Person, language: str, n: int) -> Any:
    target = shape.expected.get(header)
    if target is None:
        return _filler(shape, header, n)
    full = f"{person.first_name} {person.last_name}"
    if person.middle_name and n % 2:
        full = f"{person.last_name} {person.first_name} {person.middle_name}"
    date = _date(person.birthday, shape.dates) if person.birthday else ""
    tags = ("* myContacts ::: VIP" if shape.vendor == "google" else
            shape.separator.join(("VIP", "2024")))  # fmt: skip
    values = {
        "first_name": person.first_name, "last_name": person.last_name,
        "middle_name": person.middle_name or "", "full_name": full, "birthday": date,
        "company": person.company or "", "job_title": person.job_title,
        "address:city": person.city, "address:street": f"{_CITIES[language]} {n + 1}",
        "address:postal_code": _postal(shape.region, n), "address:region": "", "notes": "",
        "address:country": shape.region, "country": shape.region, "tags": tags if n % 2 else "",
        "source": "Web", "lifecycle_stage": ("Marketing Qualified Lead", "Customer", "Lead")[n % 3],
        "gender": "", "language": language,
    }  # fmt: skip
    if target.startswith("external_id"):
        return person.external_id
    if target == "notes" and n % 3 == 1:
        return "Met at the fair.\nCall back in May."
    return values.get(target, "")


def _filler(shape: Shape, header: str, n: int) -> Any:
    lowered = header.lower()
    if "сумма" in lowered or "revenue" in lowered or "spent" in lowered:
        return "12 500,00" if shape.region == "RU" else "12500.00"
    if any(word in lowered for word in ("date", "time", "дата", "created", "modified")):
        return _date(dt.date(2024, 1 + n % 12, 1 + n % 28), shape.dates)
    if "owner" in lowered or "ответственный" in lowered:
        return "Anna Berg"
    return ""


def _company_cells(shape: Shape, rng: random.Random, n: int) -> tuple[dict[str, Any], Company]:
    language = shape.languages[n % len(shape.languages)]
    name = f"{rng.choice(_COMPANIES[language])} {n}"
    domain = f"firm{n}.{_DOMAINS[language]}"
    raw, e164 = _phone(rng, shape.region)
    company = Company(_record_id(shape, n), name, domain, (("work", e164),), _CITIES[language],
                      10 + n)  # fmt: skip
    values = {
        "name": name, "domain": domain, "website": f"https://www.{domain}", "phone": raw,
        "phone:work": raw, "address:city": company.city, "address:street": f"Main St {n}",
        "address:postal_code": _postal("NO", n), "address:region": "", "address:country": "NO",
        "industry": "Retail", "employee_count": str(company.employee_count),
        "annual_revenue": "1500000", "tags": "Partner",
    }  # fmt: skip
    cells = {}
    for header in shape.headers:
        target = shape.expected.get(header)
        if target is not None and target.startswith("external_id"):
            cells[header] = company.external_id
        else:
            cells[header] = _filler(shape, header, n) if target is None else values.get(target, "")
    return cells, company


def _postal(region: str, n: int) -> str:
    """A postal code in the region's own form (six digits in Russia, four in Norway)."""
    return {"RU": f"{125000 + n % 1000:06d}", "NO": f"{1000 + n % 9000:04d}"}.get(
        region, f"{10000 + n % 90000:05d}"
    )


def write(shape: Shape, path: str | Path, *, rows: int = 20, seed: int = 0) -> list[Row]:
    """Write ``rows`` generated records in ``shape`` to ``path``; return them."""
    rng = random.Random(seed)
    made = [
        _contact_cells(shape, rng, n) if shape.entity == "contacts" else _company_cells(shape, rng, n)
        for n in range(rows)
    ]  # fmt: skip
    if shape.format == "xlsx":
        return _write_xlsx(shape, Path(path), made)
    return _write_csv(shape, Path(path), made)


def _csv_line(shape: Shape, values: list[Any]) -> str:
    buffer = io.StringIO()
    quoting = csv.QUOTE_ALL if shape.quote_all else csv.QUOTE_MINIMAL
    assert shape.delimiter is not None
    writer = csv.writer(buffer, delimiter=shape.delimiter, quoting=quoting, lineterminator="\r\n")
    writer.writerow(values)
    tail = shape.delimiter if shape.trailing_delimiter else ""
    return buffer.getvalue().removesuffix("\r\n") + tail + "\r\n"


def _write_csv(shape: Shape, path: Path, made: list[tuple[dict[str, Any], Any]]) -> list[Row]:
    text = [_csv_line(shape, list(shape.headers))]
    line, written = 2, []
    for cells, record in made:
        row_text = _csv_line(shape, [cells[h] for h in shape.headers])
        text.append(row_text)
        written.append(Row(line, cells, record))
        line += row_text.count("\n")
    text += [footer + "\r\n" for footer in shape.footer]
    assert shape.encoding is not None
    path.write_bytes("".join(text).encode(shape.encoding))
    return written


def _write_xlsx(shape: Shape, path: Path, made: list[tuple[dict[str, Any], Any]]) -> list[Row]:
    import openpyxl  # noqa: PLC0415 - an extra

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Контакты"
    sheet.append(list(shape.headers))
    written = []
    for number, (cells, record) in enumerate(made, start=2):
        values = [_xlsx_cell(header, cells[header], number) for header in shape.headers]
        sheet.append(values)
        written.append(Row(number, cells, record))
    book.save(path)
    return written


def _xlsx_cell(header: str, value: Any, number: int) -> Any:
    """amoCRM writes ids as numbers and its own dates as date cells."""
    if header == "ID":
        return int(value)
    if header.startswith("Дата"):
        # Excel cells hold no time zone; openpyxl refuses aware datetimes.
        return dt.datetime(2024, 1 + number % 12, 1 + number % 28, 9, 30)  # noqa: DTZ001
    return value


# fmt: off
SHAPES: dict[str, Shape] = {
    "hubspot": Shape(
        vendor="hubspot", entity="contacts", headers=headers.HUBSPOT, key="Record ID",
        source=headers.HUBSPOT_SOURCE, region="US", languages=("en", "es"), separator="",
        expected={
            "Record ID": "external_id:hubspot", "First Name": "first_name",
            "Last Name": "last_name", "Email": "email", "Phone Number": "phone",
            "Associated Company": "company", "Lifecycle Stage": "lifecycle_stage",
            "Mobile Phone Number": "phone:mobile", "Job Title": "job_title",
            "Date of birth": "birthday", "Street Address": "address:street",
            "City": "address:city", "State/Region": "address:region",
            "Postal Code": "address:postal_code", "Country/Region": "country",
            "Work email": "email:work",
        },
    ),
    "salesforce_data": Shape(
        vendor="salesforce", entity="contacts", headers=headers.SALESFORCE_DATA, key="Id",
        source=headers.SALESFORCE_DATA_SOURCE, quote_all=True, region="US",
        languages=("en", "de"), separator="",
        expected={
            "Id": "external_id:salesforce", "LastName": "last_name", "FirstName": "first_name",
            "MiddleName": "middle_name", "MailingStreet": "address:street",
            "MailingCity": "address:city", "MailingState": "address:region",
            "MailingPostalCode": "address:postal_code", "MailingCountry": "address:country",
            "Phone": "phone:work", "MobilePhone": "phone:mobile", "HomePhone": "phone:home",
            "OtherPhone": "phone:other", "Email": "email", "Title": "job_title",
            "LeadSource": "source", "Birthdate": "birthday", "Description": "notes",
        },
    ),
    "salesforce_report": Shape(
        vendor="salesforce", entity="contacts", headers=headers.SALESFORCE_REPORT,
        key="Contact ID", source=headers.SALESFORCE_REPORT_SOURCE, quote_all=True,
        footer=headers.SALESFORCE_REPORT_FOOTER, region="US", dates="mdy",
        languages=("en", "de"), separator="",
        expected={
            "First Name": "first_name", "Last Name": "last_name", "Title": "job_title",
            "Account Name": "company", "Mailing Street": "address:street",
            "Mailing City": "address:city", "Mailing State/Province": "address:region",
            "Mailing Zip/Postal Code": "address:postal_code",
            "Mailing Country": "address:country", "Phone": "phone:work",
            "Mobile": "phone:mobile", "Email": "email", "Birthdate": "birthday",
            "Lead Source": "source", "Contact ID": "external_id:salesforce",
        },
    ),
    "pipedrive": Shape(
        vendor="pipedrive", entity="contacts", headers=headers.PIPEDRIVE, key="Person - ID",
        source=headers.PIPEDRIVE_SOURCE, region="NO", languages=("no", "en"),
        expected={
            "Person - ID": "external_id:pipedrive", "Person - First name": "first_name",
            "Person - Last name": "last_name", "Person - Label": "tags",
            "Person - Organization": "company", "Person - Email - Work": "email:work",
            "Person - Email - Home": "email:home", "Person - Email - Other": "email:other",
            "Person - Phone - Work": "phone:work", "Person - Phone - Home": "phone:home",
            "Person - Phone - Mobile": "phone:mobile", "Person - Phone - Other": "phone:other",
            "Person - Birthday": "birthday", "Person - Job title": "job_title",
            "Person - Notes": "notes",
        },
    ),
    "zoho": Shape(
        vendor="zoho", entity="contacts", headers=headers.ZOHO, key="Record Id",
        source=headers.ZOHO_SOURCE, quote_all=True, region="DE", languages=("de", "zh"),
        separator="",
        expected={
            "Record Id": "external_id:zoho", "Lead Source": "source",
            "First Name": "first_name", "Last Name": "last_name", "Account Name": "company",
            "Email": "email", "Title": "job_title", "Phone": "phone:work",
            "Home Phone": "phone:home", "Other Phone": "phone:other", "Mobile": "phone:mobile",
            "Date of Birth": "birthday", "Mailing Street": "address:street",
            "Mailing City": "address:city", "Mailing State": "address:region",
            "Mailing Zip": "address:postal_code", "Mailing Country": "address:country",
            "Description": "notes", "Secondary Email": "email:other", "Tag": "tags",
        },
    ),
    "amocrm": Shape(
        vendor="amocrm", entity="contacts", headers=headers.AMOCRM, key="ID",
        source=headers.AMOCRM_SOURCE, format="xlsx", encoding=None, delimiter=None,
        region="RU", dates="dmy", languages=("ru",),
        expected={
            "ID": "external_id:amocrm", "Наименование": "full_name", "Компания": "company",
            "Теги": "tags", "Должность": "job_title", "Рабочий телефон": "phone:work",
            "Рабочий прямой телефон": "phone:work", "Мобильный телефон": "phone:mobile",
            "Домашний телефон": "phone:home", "Другой телефон": "phone:other",
            "Рабочий email": "email:work", "Личный email": "email:home",
            "Другой email": "email:other", "Адрес": "address:street", "Примечание 1": "notes",
            "День рождения": "birthday",
        },
    ),
    "bitrix24": Shape(
        vendor="bitrix24", entity="contacts", headers=headers.BITRIX24, key="ID",
        source=headers.BITRIX24_SOURCE, encoding="cp1251", delimiter=";",
        trailing_delimiter=True, region="RU", dates="dmy", languages=("ru",),
        expected={
            "ID": "external_id:bitrix24", "Имя": "first_name", "Отчество": "middle_name",
            "Фамилия": "last_name", "Дата рождения": "birthday", "Должность": "job_title",
            "Рабочий телефон": "phone:work", "Мобильный телефон": "phone:mobile",
            "Домашний телефон": "phone:home", "Телефон для рассылок": "phone:other",
            "Другой телефон": "phone:other", "Рабочий e-mail": "email:work",
            "Частный e-mail": "email:home", "E-mail для рассылок": "email:other",
            "Другой e-mail": "email:other", "Улица, номер дома": "address:street",
            "Населенный пункт": "address:city", "Регион": "address:region",
            "Почтовый индекс": "address:postal_code", "Страна": "country",
            "Комментарий": "notes", "Источник": "source", "Компания": "company",
        },
    ),
    "google": Shape(
        vendor="google", entity="contacts", headers=headers.GOOGLE, key="E-mail 1 - Value",
        source=headers.GOOGLE_SOURCE, region="ES", languages=("es", "en"),
        expected={
            "First Name": "first_name", "Middle Name": "middle_name", "Last Name": "last_name",
            "Organization Name": "company", "Organization Title": "job_title",
            "Birthday": "birthday", "Notes": "notes", "Labels": "tags",
            "E-mail 1 - Label": "ignore", "E-mail 1 - Value": "email[E-mail 1 - Label]",
            "E-mail 2 - Label": "ignore", "E-mail 2 - Value": "email[E-mail 2 - Label]",
            "Phone 1 - Label": "ignore", "Phone 1 - Value": "phone[Phone 1 - Label]",
            "Phone 2 - Label": "ignore", "Phone 2 - Value": "phone[Phone 2 - Label]",
            "Address 1 - Street": "address:street", "Address 1 - City": "address:city",
            "Address 1 - Region": "address:region",
            "Address 1 - Postal Code": "address:postal_code",
            "Address 1 - Country": "address:country",
        },
    ),
    "google_legacy": Shape(
        vendor="google", entity="contacts", headers=headers.GOOGLE_LEGACY,
        key="E-mail 1 - Value", source=headers.GOOGLE_LEGACY_SOURCE, region="CN",
        languages=("zh", "en"),
        expected={
            "Given Name": "first_name", "Additional Name": "middle_name",
            "Family Name": "last_name", "Birthday": "birthday", "Gender": "gender",
            "Notes": "notes", "Language": "language", "Group Membership": "tags",
            "E-mail 1 - Type": "ignore", "E-mail 1 - Value": "email[E-mail 1 - Type]",
            "E-mail 2 - Type": "ignore", "E-mail 2 - Value": "email[E-mail 2 - Type]",
            "Phone 1 - Type": "ignore", "Phone 1 - Value": "phone[Phone 1 - Type]",
            "Phone 2 - Type": "ignore", "Phone 2 - Value": "phone[Phone 2 - Type]",
            "Address 1 - Street": "address:street", "Address 1 - City": "address:city",
            "Address 1 - Region": "address:region",
            "Address 1 - Postal Code": "address:postal_code",
            "Address 1 - Country": "address:country", "Organization 1 - Name": "company",
            "Organization 1 - Title": "job_title",
        },
    ),
    "hubspot_companies": Shape(
        vendor="hubspot", entity="companies", headers=headers.HUBSPOT_COMPANIES,
        key="Record ID", source=headers.HUBSPOT_COMPANIES_SOURCE, region="US",
        expected={
            "Record ID": "external_id:hubspot", "Company name": "name",
            "Phone Number": "phone", "City": "address:city",
            "Country/Region": "address:country", "Industry": "industry",
            "Company Domain Name": "domain", "Website URL": "website",
            "Number of Employees": "employee_count", "Annual Revenue": "annual_revenue",
            "Street Address": "address:street", "Postal Code": "address:postal_code",
            "State/Region": "address:region",
        },
    ),
    "pipedrive_organizations": Shape(
        vendor="pipedrive", entity="companies", headers=headers.PIPEDRIVE_ORGANIZATIONS,
        key="Organization - ID", source=headers.PIPEDRIVE_SOURCE, region="NO",
        languages=("no",),
        expected={
            "Organization - ID": "external_id:pipedrive", "Organization - Name": "name",
            "Organization - Address": "address:street", "Organization - Labels": "tags",
        },
    ),
}
"""Every shape by name; ``SHAPES[name].vendor`` is what ``ColumnMapping.vendor`` must be."""
# fmt: on
