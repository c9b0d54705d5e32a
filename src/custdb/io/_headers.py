"""What column headers mean: the words people and CRMs put above contact data.

Each table maps a *folded* header (casefolded, accents kept, every run of punctuation
and spaces one space: ``E-mail``, ``e_mail`` and ``EMAIL`` are all ``e mail``) to the
target text :meth:`custdb.io.mapping.Target.parse` reads. The words come from the
exports themselves: HubSpot's contacts export, Salesforce's data export (API names
such as ``MailingCity``) and report export (labels such as ``Mailing City``),
Pipedrive's ``Person - …`` columns, Zoho CRM, amoCRM and Bitrix24 (Russian), Google
Contacts, and what people type in Russian, English, Spanish, Norwegian, German and
Chinese.
"""

from __future__ import annotations

import re

__all__ = ["COMPANY_HEADERS", "CONTACT_HEADERS", "VENDOR_MARKS", "fold"]

_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)


def fold(header: str) -> str:
    """The form headers are compared in: ``"E-Mail Address "`` -> ``"e mail address"``."""
    return _SEPARATORS.sub(" ", header.casefold()).strip()


def _table(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {fold(word): target for target, words in pairs.items() for word in words}


# fmt: off
CONTACT_HEADERS = _table(
    {
        "external_id": (
            "ID", "Record ID", "Record Id", "Contact ID", "Client ID", "Customer ID",
            "Идентификатор", "Код клиента", "Код", "ИД", "Id клиента", "Kunde ID", "Kundenummer",
            "Kundennummer", "ID cliente", "客户编号", "编号",
        ),
        "first_name": (
            "First Name", "FirstName", "Given Name", "First", "Forename", "Имя", "Nombre",
            "Fornavn", "Vorname", "名", "名字",
        ),
        "last_name": (
            "Last Name", "LastName", "Family Name", "Surname", "Last", "Фамилия", "Apellido",
            "Apellidos", "Etternavn", "Nachname", "Familienname", "姓", "姓氏",
        ),
        "middle_name": (
            "Middle Name", "MiddleName", "Additional Name", "Отчество", "Segundo nombre",
            "Mellomnavn", "Zweiter Vorname",
        ),
        "full_name": (
            "Full Name", "Name", "Contact Name", "Contact", "ФИО", "Ф.И.О.", "Наименование",
            "Клиент", "Контакт", "Nombre completo", "Navn", "Fullt navn", "Vollständiger Name",
            "姓名", "客户名称", "联系人",
        ),
        "email": (
            "Email", "E-mail", "Email Address", "E-mail Address", "Mail", "Электронная почта",
            "Эл. почта", "Почта", "Correo", "Correo electrónico", "E-post", "E-postadresse",
            "E-Mail-Adresse", "电子邮件", "邮箱", "电子邮箱", "Emails", "E-mails",
        ),
        "email:work": (
            "Work Email", "Business Email", "Рабочий email", "Рабочий e-mail",
            "Рабочая почта", "Email - Work", "E-post jobb",
        ),
        "email:home": (
            "Personal Email", "Home Email", "Личный email", "Частный e-mail", "Личный e-mail",
            "Email - Home",
        ),
        "email:other": (
            "Other Email", "Secondary Email", "Другой email", "Другой e-mail",
            "E-mail для рассылок", "Email - Other",
        ),
        "phone": (
            "Phone", "Phone Number", "Telephone", "Tel", "Tel.", "Телефон", "Номер телефона",
            "Teléfono", "Telefono", "Telefon", "Telefonnummer", "电话", "电话号码", "联系电话",
            "Business Phone", "Phones",
        ),
        "phone:mobile": (
            "Mobile", "Mobile Phone", "Mobile Phone Number", "MobilePhone", "Cell", "Cell Phone",
            "Мобильный телефон", "Мобильный", "Сотовый", "Móvil", "Teléfono móvil", "Mobil",
            "Mobiltelefon", "Handy", "手机", "手机号", "手机号码", "Phone - Mobile",
        ),
        "phone:work": (
            "Work Phone", "Office Phone", "Рабочий телефон", "Рабочий прямой телефон",
            "Teléfono del trabajo", "Telefon arbeid", "Phone - Work",
        ),
        "phone:home": (
            "Home Phone", "HomePhone", "Домашний телефон", "Teléfono de casa", "Telefon privat",
            "Phone - Home",
        ),
        "phone:other": (
            "Other Phone", "OtherPhone", "Другой телефон", "Телефон для рассылок", "Phone - Other",
        ),
        "company": (
            "Company", "Company Name", "Account Name", "Organization", "Organization Name",
            "Organization 1 - Name", "Associated Company", "Компания", "Организация",
            "Название компании", "Empresa", "Compañía", "Firma", "Bedrift", "Selskap",
            "Unternehmen", "公司", "公司名称", "单位",
        ),
        "job_title": (
            "Job Title", "Title", "Position", "Organization Title", "Organization 1 - Title",
            "Должность", "Cargo", "Puesto", "Stilling", "Tittel", "Position im Unternehmen",
            "Berufsbezeichnung", "职位", "职务",
        ),
        "birthday": (
            "Birthday", "Birthdate", "Date of Birth", "Birth Date", "DOB", "Дата рождения",
            "День рождения", "Fecha de nacimiento", "Cumpleaños", "Fødselsdato", "Bursdag",
            "Geburtsdatum", "Geburtstag", "生日", "出生日期",
        ),
        "gender": ("Gender", "Sex", "Пол", "Género", "Sexo", "Kjønn", "Geschlecht", "性别"),
        "lifecycle_stage": (
            "Lifecycle Stage", "Lifecycle", "Stage", "Этап", "Стадия", "Etapa", "Livssyklus",
            "Lebenszyklusphase", "生命周期阶段",
        ),
        "tags": (
            "Tags", "Tag", "Labels", "Label", "Group Membership", "Теги", "Метки", "Etiquetas",
            "Stikkord", "Etiketter", "Schlagwörter", "标签",
        ),
        "notes": (
            "Notes", "Note", "Description", "Comment", "Comments", "Примечание", "Комментарий",
            "Заметки", "Notas", "Comentario", "Notater", "Kommentar", "Notizen", "Bemerkung",
            "备注", "说明",
        ),
        "source": (
            "Source", "Lead Source", "LeadSource", "Original Source", "Источник", "Fuente",
            "Origen", "Kilde", "Quelle", "来源",
        ),
        "language": (
            "Language", "Preferred Language", "Язык", "Idioma", "Språk", "Sprache", "语言",
        ),
        "country": (
            "Country", "Country/Region", "Страна", "País", "Land", "国家",
        ),
        "address:street": (
            "Street", "Street Address", "Address", "Mailing Street", "MailingStreet",
            "Address 1 - Street", "Адрес", "Улица", "Улица, номер дома", "Dirección", "Calle",
            "Adresse", "Gateadresse", "Straße", "Strasse", "地址", "街道",
        ),
        "address:city": (
            "City", "Mailing City", "MailingCity", "Address 1 - City", "Город", "Населенный пункт",
            "Ciudad", "Localidad", "By", "Sted", "Poststed", "Stadt", "Ort", "城市",
        ),
        "address:region": (
            "State", "State/Region", "State/Province", "Region", "Province", "Mailing State",
            "Mailing State/Province", "MailingState", "Address 1 - Region", "Регион", "Область",
            "Provincia", "Fylke", "Bundesland", "省", "省份",
        ),
        "address:postal_code": (
            "Postal Code", "Zip", "ZIP Code", "Zip Code", "Postcode", "Mailing Zip",
            "Mailing Zip/Postal Code", "MailingPostalCode", "Address 1 - Postal Code", "Индекс",
            "Почтовый индекс", "Código postal", "Postnummer", "Postleitzahl", "PLZ", "邮编",
            "邮政编码",
        ),
        "address:country": ("Mailing Country", "MailingCountry", "Address 1 - Country"),
        "loyalty_card": (
            "Loyalty Card", "Card Number", "Карта лояльности", "Номер карты", "Дисконтная карта",
            "Tarjeta de fidelidad", "Kundekort", "Kundenkarte", "会员卡", "会员卡号",
        ),
        "importance": ("Importance", "Важность", "Класс важности", "Importancia", "Viktighet"),
    }
)
"""Folded header -> target text, for contacts."""

COMPANY_HEADERS = _table(
    {
        "external_id": (
            "ID", "Record ID", "Company ID", "Account ID", "Идентификатор", "Код", "ID empresa",
            "公司编号",
        ),
        "name": (
            "Name", "Company", "Company Name", "Account Name", "Organization", "Organization Name",
            "Название", "Название компании", "Наименование", "Компания", "Организация", "Empresa",
            "Nombre de la empresa", "Firma", "Firmanavn", "Bedrift", "Unternehmen", "Firmenname",
            "公司", "公司名称", "名称",
        ),
        "domain": ("Domain", "Company Domain Name", "Домен", "Dominio", "Domene", "域名"),
        "website": (
            "Website", "Website URL", "Web", "Site", "Сайт", "Sitio web", "Nettside", "Webseite",
            "网站", "网址",
        ),
        "industry": ("Industry", "Отрасль", "Сфера деятельности", "Industria", "Sector",
                     "Bransje", "Branche", "行业"),
        "employee_count": (
            "Employees", "Number of Employees", "NumberOfEmployees", "Employee Count",
            "Количество сотрудников", "Число сотрудников", "Empleados", "Antall ansatte",
            "Mitarbeiter", "Mitarbeiterzahl", "员工人数",
        ),
        "tax_id": (
            "Tax ID", "VAT Number", "ИНН", "CIF", "NIF", "Org.nr.", "Organisasjonsnummer",
            "USt-IdNr.", "Steuernummer", "税号", "纳税人识别号",
        ),
        "legal_form": ("Legal Form", "Правовая форма", "ОПФ", "Forma jurídica", "Rechtsform"),
        "email": (
            "Email", "E-mail", "Email Address", "Электронная почта", "Почта", "Correo",
            "E-post", "E-Mail-Adresse", "电子邮件", "邮箱",
        ),
        "phone": (
            "Phone", "Phone Number", "Telephone", "Телефон", "Teléfono", "Telefon", "电话",
        ),
        "tags": ("Tags", "Labels", "Теги", "Etiquetas", "Stikkord", "标签"),
        "region": ("Region", "State/Region", "Регион", "Región", "Fylke", "地区"),
        "actual_address:street": ("Street", "Street Address", "Address", "Адрес", "Dirección",
                                  "Adresse", "Straße", "地址"),
        "actual_address:city": ("City", "Город", "Ciudad", "By", "Stadt", "城市"),
        "actual_address:postal_code": ("Postal Code", "Zip", "Индекс", "Código postal",
                                       "Postnummer", "PLZ", "邮编"),
        "actual_address:country": ("Country", "Country/Region", "Страна", "País", "Land", "国家"),
    }
)
"""Folded header -> target text, for companies."""

VENDOR_MARKS: dict[str, tuple[tuple[str, ...], ...]] = {
    # vendor: alternatives, each a set of headers that together say "this export"
    # Zoho first: its "Record Id" and "Contact Owner" are HubSpot's words too
    "zoho": (("Contact Owner", "Mailing Zip"), ("Record Id", "Account Name")),
    "hubspot": (("Record ID", "Lifecycle Stage"), ("Record ID", "Contact owner")),
    "salesforce": (("MailingCity",), ("AccountId", "LastName"), ("Contact ID", "Mailing City"),
                   ("Account Name", "Mailing Street")),
    "pipedrive": (("Person - Name",), ("Person - ID",)),
    "amocrm": (("Наименование", "Ответственный"), ("Рабочий email", "Ответственный")),
    "bitrix24": (("Обращение",), ("Рабочий e-mail", "Отчество")),
    "google": (("E-mail 1 - Value",), ("Given Name", "Family Name"), ("Phone 1 - Value",)),
}
# fmt: on
"""Headers that, all present, recognise a CRM's export (its external-id system)."""
