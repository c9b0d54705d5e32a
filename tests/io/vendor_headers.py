"""The header lists of real exports, each with where it was found (read by vendors.py).

Sources were found with a search of vendors' documentation and of public code that
reads or writes these files; each list below names its source. Where a vendor lets the
user choose the exported properties (HubSpot, Pipedrive, Zoho, amoCRM custom fields),
the list is the default columns plus the common ones a user adds.
"""

from __future__ import annotations

HUBSPOT = (
    "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Contact owner",
    "Primary Associated Company ID", "Last Activity Date", "Lead Status",
    "Marketing contact status", "Create Date", "Associated Company", "Lifecycle Stage",
    "Mobile Phone Number", "Job Title", "Date of birth", "Street Address", "City",
    "State/Region", "Postal Code", "Country/Region", "Work email",
)  # fmt: skip
HUBSPOT_SOURCE = (
    "HubSpot 'All contacts' export, default view columns (Record ID ... Associated "
    "Company) as listed by public exercise code parsing such a file, plus properties from "
    "a real 'hubspot-crm-exports-all-contacts-2023-02-21.csv' header read by public code "
    "(HUBSPOT_ALL_PROPERTIES below)"
)

# Every property of a real "export all properties" file (a Swedish portal's, with one
# custom property "höbbela"), as a public script lists it.
HUBSPOT_ALL_PROPERTIES = (
    "Record ID", "First Name", "Last Name", "Annual Revenue", "Average Pageviews",
    "Became a Customer Date", "Became a Lead Date", "Became a Marketing Qualified Lead Date",
    "Became a Sales Qualified Lead Date", "Became a Subscriber Date",
    "Became an Evangelist Date", "Became an Opportunity Date", "Became an Other Lifecycle Date",
    "Buying Role", "Buying Role Option", "Campaign of last booking in meetings tool", "City",
    "Close Date", "Company domain name", "Company Name", "Company size", "Contact owner",
    "Contact priority", "Contact unworked", "Country/Region", "Create Date",
    "Created by user ID", "Currently in Sequence", "Currently in workflow", "Date of birth",
    "Date of last meeting booked in meetings tool", "Days To Close", "Degree", "Domain name",
    "Domain to which registration email was sent", "Email",
    "Email address automated quarantine reason", "Email address quarantine reason",
    "Email Address Quarantined", "Email Confirmed", "Email Domain", "Email hard bounce reason",
    "Event Revenue", "Facebook click id", "Fax Number", "Field of study", "First Conversion",
    "First Conversion Date", "First Deal Created Date", "First marketing email click date",
    "First marketing email open date", "First marketing email reply date",
    "First marketing email send date", "First Page Seen", "First Referring Site",
    "First Touch Converting Campaign", "Gender", "Google ad click id", "Graduation date",
    "HubSpot Score", "HubSpot Team", "höbbela", "Industry", "Invalid email address",
    "IP City", "IP Country", "IP Country Code", "IP State Code/Region Code", "IP State/Region",
    "IP Timezone", "Job function", "Job Title", "Last Activity Date", "Last Contacted",
    "Last Engagement Date", "Last marketing email click date", "Last marketing email name",
    "Last marketing email open date", "Last marketing email reply date",
    "Last marketing email send date", "Last Modified Date", "Last NPS survey comment",
    "Last NPS survey date", "Last NPS survey rating", "Last Page Seen", "Last Referring Site",
    "Last sequence ended date", "Last sequence enrolled", "Last sequence enrolled date",
    "Last Touch Converting Campaign", "Latest Source", "Latest Source Date",
    "Latest Source Drill-Down 1", "Latest Source Drill-Down 2", "Lead Rating", "Lead Status",
    "Legal basis for processing contact's data", "Lifecycle Stage", "Likelihood to close",
    "Marital Status", "Marketing contact until next update",
    "Marketing email confirmation status", "Marketing emails bounced",
    "Marketing emails clicked", "Marketing emails delivered", "Marketing emails opened",
    "Marketing emails replied", "Medium of last booking in meetings tool", "Membership Notes",
    "Message", "Military status", "Mobile Phone Number", "Next Activity Date",
    "Number of Associated Deals", "Number of Employees", "Number of event completions",
    "Number of Form Submissions", "Number of Pageviews", "Number of Sales Activities",
    "Number of sequences enrolled", "Number of Sessions", "Number of times contacted",
    "Number of Unique Forms Submitted", "Object create date/time",
    "Opted out of email: Customer Service Communication", "Original Source",
    "Original Source Drill-Down 1", "Original Source Drill-Down 2", "Owner Assigned Date",
    "Persona", "Phone Number", "Postal Code", "Predictive Lead Score", "Preferred language",
    "Private e-mail address", "Recent Conversion", "Recent Conversion Date",
    "Recent Deal Amount", "Recent Deal Close Date", "Recent Sales Email Clicked Date",
    "Recent Sales Email Opened Date", "Recent Sales Email Replied Date", "Registered At",
    "Relationship Status", "Salutation", "School", "Sends Since Last Engagement", "Seniority",
    "Source of last booking in meetings tool", "Start date", "State/Region", "Status",
    "Street Address", "Time between contact creation and deal close (HH:mm:ss)",
    "Time between contact creation and deal creation (HH:mm:ss)", "Time First Seen",
    "Time Last Seen", "Time of First Session", "Time of Last Session",
    "Time registration email was sent", "Time to move from lead to customer (HH:mm:ss)",
    "Time to move from marketing qualified lead to customer (HH:mm:ss)",
    "Time to move from opportunity to customer (HH:mm:ss)",
    "Time to move from sales qualified lead to customer (HH:mm:ss)",
    "Time to move from subscriber to customer (HH:mm:ss)", "Time Zone", "Total Revenue",
    "Twitter Username", "Unsubscribed from all email", "Website URL", "WhatsApp Phone Number",
    "Work email", "Associated Company", "Associated Deal", "Associated Ticket",
    "Associated Payment", "Associated Subscription", "Associated Company IDs",
    "Associated Deal IDs", "Associated Ticket IDs", "Associated Payment IDs",
    "Associated Subscription IDs",
)  # fmt: skip

HUBSPOT_COMPANIES = (
    "Record ID", "Company name", "Company owner", "Create Date", "Phone Number",
    "Last Activity Date", "City", "Country/Region", "Industry", "Company Domain Name",
    "Website URL", "Number of Employees", "Annual Revenue", "Street Address", "Postal Code",
    "State/Region",
)  # fmt: skip
HUBSPOT_COMPANIES_SOURCE = (
    "HubSpot companies export: default view columns (Record ID, Company name, Company "
    "owner, Create Date, Phone Number, Last Activity Date, City, Country/Region, Industry) "
    "and company properties as public importers of HubSpot company files read them"
)

SALESFORCE_DATA = (
    "Id", "IsDeleted", "MasterRecordId", "AccountId", "LastName", "FirstName", "Salutation",
    "MiddleName", "Suffix", "Name", "OtherStreet", "OtherCity", "OtherState",
    "OtherPostalCode", "OtherCountry", "OtherLatitude", "OtherLongitude",
    "OtherGeocodeAccuracy", "MailingStreet", "MailingCity", "MailingState",
    "MailingPostalCode", "MailingCountry", "MailingLatitude", "MailingLongitude",
    "MailingGeocodeAccuracy", "Phone", "Fax", "MobilePhone", "HomePhone", "OtherPhone",
    "AssistantPhone", "ReportsToId", "Email", "Title", "Department", "AssistantName",
    "LeadSource", "Birthdate", "Description", "OwnerId", "HasOptedOutOfEmail",
    "HasOptedOutOfFax", "DoNotCall", "CreatedDate", "CreatedById", "LastModifiedDate",
    "LastModifiedById", "SystemModstamp", "LastActivityDate", "LastCURequestDate",
    "LastCUUpdateDate", "LastViewedDate", "LastReferencedDate", "EmailBouncedReason",
    "EmailBouncedDate", "IsEmailBounced", "PhotoUrl", "Jigsaw", "JigsawContactId",
    "CleanStatus", "IndividualId",
)  # fmt: skip
SALESFORCE_DATA_SOURCE = (
    "Salesforce Data Export Contact.csv: the Contact object's API field names in the "
    "order of the Salesforce field reference (developer.salesforce.com, 'Contact' in the "
    "Object Reference and the Field Reference), as public Data Loader and backup code reads them"
)

SALESFORCE_REPORT = (
    "Contact Owner", "Salutation", "First Name", "Last Name", "Title", "Account Name",
    "Mailing Street", "Mailing City", "Mailing State/Province", "Mailing Zip/Postal Code",
    "Mailing Country", "Phone", "Mobile", "Email", "Birthdate", "Lead Source", "Contact ID",
)  # fmt: skip
SALESFORCE_REPORT_FOOTER = (
    "",
    '""',
    '"Confidential Information - Do Not Distribute"',
    '"Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved."',
)
SALESFORCE_REPORT_SOURCE = (
    "Salesforce 'Contacts & Accounts' report exported as CSV (details only): field labels "
    "of the Field Reference ('Mailing Zip/Postal Code', 'Contact ID'), as public code reads "
    "Salesforce contact reports; footer lines as public code strips them from report exports"
)

PIPEDRIVE = (
    "Person - ID", "Person - Name", "Person - First name", "Person - Last name",
    "Person - Label", "Person - Organization", "Person - Email - Work",
    "Person - Email - Home", "Person - Email - Other", "Person - Phone - Work",
    "Person - Phone - Home", "Person - Phone - Mobile", "Person - Phone - Other",
    "Person - Owner", "Person - Person created", "Person - Update time",
    "Person - Open deals", "Person - Won deals", "Person - Marketing status",
    "Person - Birthday", "Person - Job title", "Person - Postal address", "Person - Notes",
)  # fmt: skip
PIPEDRIVE_SOURCE = (
    "Pipedrive Contacts > People > Export data: 'Person - ' columns as public importers and "
    "cleaning scripts of Pipedrive persons files read them (Person - Email - Work/Home/Other, "
    "Person - Phone - Work/Home/Mobile/Other, Person - Organization, Person - Label...)"
)

PIPEDRIVE_ORGANIZATIONS = (
    "Organization - ID", "Organization - Name", "Organization - Owner",
    "Organization - Address", "Organization - Labels", "Organization - People",
    "Organization - Open deals", "Organization - Organization created",
)  # fmt: skip

ZOHO = (
    "Record Id", "Contact Owner", "Lead Source", "First Name", "Last Name", "Account Name",
    "Account Name.id", "Email", "Title", "Department", "Phone", "Home Phone", "Other Phone",
    "Fax", "Mobile", "Date of Birth", "Assistant", "Asst Phone", "Reports To",
    "Reports To.id", "Email Opt Out", "Created By", "Modified By", "Created Time",
    "Modified Time", "Full Name", "Mailing Street", "Other Street", "Mailing City",
    "Other City", "Mailing State", "Other State", "Mailing Zip", "Other Zip",
    "Mailing Country", "Other Country", "Description", "Salutation", "Secondary Email",
    "Last Activity Time", "Tag",
)  # fmt: skip
ZOHO_SOURCE = (
    "Zoho CRM Setup > Data Administration > Export, Contacts: the standard contact fields "
    "(as a public Zoho client types them: First_Name ... Secondary_Email, Last_Activity_Time) "
    "under their export labels, with 'Record Id' holding 'zcrm_' ids and lookups exported "
    "with a '.id' column, as public code that reads Zoho export samples shows"
)

AMOCRM = (
    "ID", "Тип", "Наименование", "Компания", "Дата создания", "Создатель", "Дата изменения",
    "Автор изменения", "Теги", "Ближайшая задача", "Ответственный", "Сделки", "Должность",
    "Рабочий телефон", "Рабочий прямой телефон", "Мобильный телефон", "Факс",
    "Домашний телефон", "Другой телефон", "Рабочий email", "Личный email", "Другой email",
    "Адрес", "Web", "Примечание 1", "День рождения", "Сумма покупок",
)  # fmt: skip
AMOCRM_SOURCE = (
    "amoCRM Контакты > Ещё > Экспорт (Excel): the columns amoCRM's help page 'Экспорт "
    "контактов или компаний' lists (Тип, Наименование, Компания, Дата создания, Создатель... "
    "Теги, Ближайшая задача, Ответственный, Сделки, Должность, Телефон, E-mail, Адрес, Web, "
    "Примечания, additional fields), the phone and e-mail columns as public code reads them "
    "(Рабочий прямой телефон, Личный email...); 'День рождения' and 'Сумма покупок' are "
    "additional fields of the account"
)

BITRIX24 = (
    "ID", "Обращение", "Имя", "Отчество", "Фамилия", "Дата рождения", "Должность",
    "Рабочий телефон", "Мобильный телефон", "Номер факса", "Домашний телефон",
    "Номер пейджера", "Телефон для рассылок", "Другой телефон", "Корпоративный сайт",
    "Личная страница", "Рабочий e-mail", "Частный e-mail", "E-mail для рассылок",
    "Другой e-mail", "Контакт Telegram", "Адрес", "Улица, номер дома",
    "Квартира, офис, комната, этаж", "Населенный пункт", "Район", "Регион",
    "Почтовый индекс", "Страна", "Комментарий", "Тип контакта", "Источник",
    "Дополнительно об источнике", "Экспорт", "Доступен для всех", "Ответственный",
    "Компания", "Дата создания", "Дата изменения", "Кем создан", "Кем изменен",
)  # fmt: skip
BITRIX24_SOURCE = (
    "Bitrix24 CRM > Контакты > Экспорт в CSV: column titles of the contact list component "
    "(bitrix24-core crm.contact.list lang/ru: ID, Обращение, Имя, Отчество, Фамилия, Дата "
    "рождения, Должность, Комментарий, Тип контакта, Источник, Дополнительно об источнике, "
    "Экспорт, Ответственный, Компания, Дата создания...), phone, e-mail and address columns "
    "as public code reads Bitrix24 CSV exports (cp1251, ';')"
)

GOOGLE = (
    "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name",
    "Phonetic Last Name", "Name Prefix", "Name Suffix", "Nickname", "File As",
    "Organization Name", "Organization Title", "Organization Department", "Birthday",
    "Notes", "Photo", "Labels", "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label",
    "E-mail 2 - Value", "Phone 1 - Label", "Phone 1 - Value", "Phone 2 - Label",
    "Phone 2 - Value", "Address 1 - Label", "Address 1 - Formatted", "Address 1 - Street",
    "Address 1 - City", "Address 1 - PO Box", "Address 1 - Region", "Address 1 - Postal Code",
    "Address 1 - Country", "Address 1 - Extended Address", "Website 1 - Label",
    "Website 1 - Value",
)  # fmt: skip
GOOGLE_SOURCE = (
    "Google Contacts > Export > Google CSV (current form), as public code writes and tests "
    "it: 'E-mail 1 - Label' ('* Work', '* ' marks the primary) beside 'E-mail 1 - Value' "
    "(several values joined by ' ::: '), 'Labels' ('* myContacts ::: Friends')"
)

GOOGLE_LEGACY = (
    "Name", "Given Name", "Additional Name", "Family Name", "Yomi Name", "Given Name Yomi",
    "Additional Name Yomi", "Family Name Yomi", "Name Prefix", "Name Suffix", "Initials",
    "Nickname", "Short Name", "Maiden Name", "Birthday", "Gender", "Location",
    "Billing Information", "Directory Server", "Mileage", "Occupation", "Hobby",
    "Sensitivity", "Priority", "Subject", "Notes", "Language", "Photo", "Group Membership",
    "E-mail 1 - Type", "E-mail 1 - Value", "E-mail 2 - Type", "E-mail 2 - Value",
    "Phone 1 - Type", "Phone 1 - Value", "Phone 2 - Type", "Phone 2 - Value",
    "Address 1 - Type", "Address 1 - Formatted", "Address 1 - Street", "Address 1 - City",
    "Address 1 - PO Box", "Address 1 - Region", "Address 1 - Postal Code",
    "Address 1 - Country", "Address 1 - Extended Address", "Organization 1 - Type",
    "Organization 1 - Name", "Organization 1 - Yomi Name", "Organization 1 - Title",
    "Organization 1 - Department", "Organization 1 - Symbol", "Organization 1 - Location",
    "Organization 1 - Job Description", "Website 1 - Type", "Website 1 - Value",
)  # fmt: skip
GOOGLE_LEGACY_SOURCE = (
    "Google Contacts 'Google CSV' before 2020 (Given Name, Family Name, E-mail 1 - Type...), "
    "as several public exporters write its header line"
)
