"""Which field each column fills (I1): ``Target``'s text form and its errors, overrides
of a suggested mapping, the key column, and the mapping ``suggest_mapping`` reads off
headers in six languages, custom properties and the exports of other CRMs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custdb.errors import ValidationError
from custdb.io._headers import VENDOR_MARKS
from custdb.io.mapping import ROLLUPS, ColumnMapping, Target, suggest_mapping
from custdb.model import FieldDef, Schema

SCHEMA = Schema(
    "contact",
    (
        FieldDef("tier", "enum", options={"gold", "silver"}, label="Уровень"),
        FieldDef("spent_before", "decimal", label="Сумма покупок"),
    ),
)


def targets(headers: list[str], **options: object) -> dict[str, str | None]:
    mapping = suggest_mapping(headers, **options)  # type: ignore[arg-type]
    return {h: None if t is None else str(t) for h, t in zip(headers, mapping.targets, strict=True)}


# --- Target.parse and str(Target) ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("first_name", Target("field", "first_name")),
        (" birthday ", Target("field", "birthday")),
        ("email", Target("email")),
        ("emails", Target("email")),
        ("email:work", Target("email", label="work")),
        (" email : work ", Target("email", label="work")),
        ("phone:mobile", Target("phone", label="mobile")),
        ("phones:home", Target("phone", label="home")),
        ("id", Target("id")),
        ("full_name", Target("full_name")),
        ("company", Target("company")),
        ("ignore", Target("ignore")),
        ("external_id", Target("external_id", "import")),
        ("external_id:hubspot", Target("external_id", "hubspot")),
        ("custom:tier", Target("custom", "tier")),
        ("address:city", Target("address", "address.city")),
        ("address:postal_code", Target("address", "address.postal_code")),
    ],
)
def test_each_text_form_of_a_contact_column_parses_to_its_target(
    text: str, expected: Target
) -> None:
    assert Target.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name", Target("field", "name")),
        ("website", Target("field", "website")),
        ("address:city", Target("address", "actual_address.city")),
        ("legal_address:street", Target("address", "legal_address.street")),
        ("actual_address:country", Target("address", "actual_address.country")),
    ],
)
def test_a_company_column_fills_company_fields_and_either_of_its_addresses(
    text: str, expected: Target
) -> None:
    """A bare ``address:PART`` is a company's actual address."""
    assert Target.parse(text, entity="companies") == expected


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("email:fax", "the label must be one of work, home, mobile, other"),
        ("phone:cell", "the label must be one of work, home, mobile, other"),
        ("address", "give an address part: street, city, region, postal_code, country"),
        ("address:zip", "give an address part"),
        ("full_name:x", "give one of"),
        ("id:x", "give one of"),
        ("nonsense", "give one of"),
        ("emails_2", "give one of"),
        ("legal_address:city", "give one of"),  # a contact has one address
        ("custom:", "give one of"),
        ("", "give one of"),
    ],
)
def test_a_text_that_names_no_target_is_refused_saying_what_to_give(text: str, hint: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Target.parse(text)
    assert caught.value.field == "map"
    assert caught.value.value == text
    assert hint in caught.value.hint


def test_the_refusal_of_an_unknown_name_lists_the_fields_and_the_custom_properties() -> None:
    with pytest.raises(ValidationError) as caught:
        Target.parse("nope", schema=SCHEMA)
    hint = caught.value.hint
    assert "first_name" in hint
    assert "email[:label]" in hint
    assert hint.endswith("custom properties: spent_before, tier")


def test_a_company_row_does_not_name_a_company() -> None:
    with pytest.raises(ValidationError, match="only a contact's row names its company"):
        Target.parse("company", entity="companies")


@pytest.mark.parametrize("rollup", sorted(ROLLUPS))
def test_a_figure_the_store_computes_is_refused_with_a_hint_to_use_a_custom_property(
    rollup: str,
) -> None:
    """total_spent and its kind come from orders and visits: an import never writes them."""
    with pytest.raises(ValidationError) as caught:
        Target.parse(rollup)
    assert "a figure the store computes" in caught.value.hint
    assert "custom:NAME" in caught.value.hint


def test_a_custom_property_is_named_bare_or_with_its_prefix() -> None:
    assert Target.parse("tier", schema=SCHEMA) == Target("custom", "tier")
    assert Target.parse("custom:tier", schema=SCHEMA) == Target("custom", "tier")
    with pytest.raises(ValidationError):
        Target.parse("tier")  # without the schema, "tier" names nothing


@pytest.mark.parametrize(
    ("target", "text"),
    [
        (Target("field", "first_name"), "first_name"),
        (Target("email"), "email"),
        (Target("phone", label="mobile"), "phone:mobile"),
        (Target("id"), "id"),
        (Target("external_id", "zoho"), "external_id:zoho"),
        (Target("custom", "tier"), "custom:tier"),
        (Target("address", "address.city"), "address:city"),
        (Target("ignore"), "ignore"),
    ],
)
def test_the_text_of_a_target_is_the_form_parse_reads(target: Target, text: str) -> None:
    assert str(target) == text
    assert Target.parse(text) == target


def test_a_company_address_target_round_trips_through_its_text() -> None:
    target = Target.parse("legal_address:postal_code", entity="companies")
    assert str(target) == "legal_address:postal_code"
    assert Target.parse(str(target), entity="companies") == target


_WORDS = st.sampled_from(
    ["email", "phone", "emails", "address", "custom", "external_id", "id", "company",
     "full_name", "ignore", "first_name", "legal_address", "total_spent", "tier",
     "work", "mobile", "city", ":", " ", "x"]
)  # fmt: skip
_TEXTS = st.one_of(st.text(max_size=30), st.lists(_WORDS, max_size=4).map("".join))


@given(text=_TEXTS, entity=st.sampled_from(["contacts", "companies"]))
def test_any_text_parses_to_a_target_whose_text_parses_back_or_is_refused(
    text: str, entity: str
) -> None:
    target = _parsed(text, entity)
    if isinstance(target, ValidationError):
        assert target.field == "map"
        assert target.hint
    else:
        assert Target.parse(str(target), entity=entity, schema=SCHEMA) == target


def _parsed(text: str, entity: str) -> Target | ValidationError:
    try:
        return Target.parse(text, entity=entity, schema=SCHEMA)
    except ValidationError as error:
        return error


# --- ColumnMapping ---------------------------------------------------------------------


def test_an_override_replaces_the_suggested_target_of_its_header_only() -> None:
    mapping = suggest_mapping(["Фамилия", "Код скидки", "Email"])
    changed = mapping.with_overrides({"Код скидки": "custom:discount", "Фамилия": "ignore"})
    assert changed.targets == (Target("ignore"), Target("custom", "discount"), Target("email"))
    assert mapping.targets[0] == Target("field", "last_name")  # the original is unchanged
    assert changed.unmapped == ()
    assert mapping.unmapped == ("Код скидки",)


def test_an_override_of_an_unknown_header_is_refused_naming_the_headers() -> None:
    mapping = suggest_mapping(["Имя", "Email"])
    with pytest.raises(ValidationError) as caught:
        mapping.with_overrides({"Phone": "phone"})
    assert caught.value.reason == "is not a header of the file"
    assert caught.value.value == "Phone"
    assert caught.value.hint == "give one of Имя, Email"


def test_an_override_with_a_bad_target_is_refused() -> None:
    mapping = suggest_mapping(["Имя", "Итого"])
    with pytest.raises(ValidationError, match="a figure the store computes"):
        mapping.with_overrides({"Итого": "total_spent"})


def test_an_override_reads_custom_properties_of_the_mapping_schema() -> None:
    mapping = suggest_mapping(["Имя", "Класс"], schema=SCHEMA)
    assert mapping.with_overrides({"Класс": "tier"}).targets[1] == Target("custom", "tier")


def test_keep_unmapped_keeps_each_unmapped_column_as_a_custom_property_named_after_it() -> None:
    mapping = suggest_mapping(["Имя", "Код скидки", "Favourite Colour", "!!!"])
    kept = mapping.keep_unmapped()
    assert kept.targets == (
        Target("field", "first_name"),
        Target("custom", "код_скидки"),
        Target("custom", "favourite_colour"),
        None,  # a header of punctuation only names no property
    )
    assert kept.unmapped == ("!!!",)


@pytest.mark.parametrize(
    ("headers", "key"),
    [
        (["Phone", "Email", "Client ID", "id"], "id"),
        (["Phone", "Email", "Client ID", "Имя"], "Client ID"),
        (["Phone", "Имя", "Email"], "Email"),
        (["Имя", "Phone"], "Phone"),
    ],
)
def test_the_key_column_is_the_own_id_else_an_external_id_else_email_else_phone(
    headers: list[str], key: str
) -> None:
    """I2: the key recognises a record; "id" outranks other systems' ids, then e-mail, phone."""
    mapping = suggest_mapping(headers)
    assert mapping.key_column() == headers.index(key)


def test_a_mapping_with_no_key_column_says_so() -> None:
    assert suggest_mapping(["Имя", "Фамилия"]).key_column() is None


def test_the_first_of_two_email_columns_is_the_key() -> None:
    assert suggest_mapping(["Имя", "Work Email", "Email"]).key_column() == 1


def test_to_json_gives_the_target_text_of_each_mapped_header() -> None:
    mapping = suggest_mapping(["Имя", "Непонятно", "Work Email", "Client ID", "Город"])
    assert mapping.to_json() == {
        "Имя": "first_name",
        "Work Email": "email:work",
        "Client ID": "external_id:import",
        "Город": "address:city",
    }


def test_a_mapping_rebuilt_from_its_json_is_the_same() -> None:
    """The change log keeps ``to_json``; overrides read back from it give the mapping."""
    headers = ["Фамилия", "Имя", "Телефон", "Мобильный", "Индекс", "Код скидки"]
    mapping = suggest_mapping(headers).keep_unmapped()
    blank = ColumnMapping(tuple(headers), (None,) * len(headers))
    assert blank.with_overrides(mapping.to_json()) == mapping


# --- suggest_mapping -------------------------------------------------------------------


def test_russian_headers_are_suggested_and_the_purchase_total_is_left_unmapped() -> None:
    """I1: "Имя", "Телефон", "E-mail", "Компания"...; "Сумма покупок" is a figure the
    store computes, so nothing is guessed for it."""
    headers = ["Фамилия", "Имя", "Отчество", "Телефон", "E-mail", "Компания", "Дата рождения",
               "Сумма покупок"]  # fmt: skip
    assert targets(headers) == {
        "Фамилия": "last_name",
        "Имя": "first_name",
        "Отчество": "middle_name",
        "Телефон": "phone",
        "E-mail": "email",
        "Компания": "company",
        "Дата рождения": "birthday",
        "Сумма покупок": None,
    }
    assert suggest_mapping(headers).unmapped == ("Сумма покупок",)


def test_english_headers_are_suggested() -> None:
    """I1"""
    assert targets(["First Name", "Email Address", "Phone Number", "Company Name"]) == {
        "First Name": "first_name",
        "Email Address": "email",
        "Phone Number": "phone",
        "Company Name": "company",
    }


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("Teléfono", "phone"),  # Spanish
        ("Nombre", "first_name"),
        ("Apellidos", "last_name"),
        ("Telefon", "phone"),  # Norwegian and German
        ("Fornavn", "first_name"),
        ("E-post", "email"),
        ("Vorname", "first_name"),
        ("E-Mail-Adresse", "email"),
        ("Geburtsdatum", "birthday"),
        ("电话", "phone"),  # Chinese
        ("姓名", "full_name"),
        ("邮箱", "email"),
        ("EMAIL", "email"),  # case, spaces and punctuation do not matter
        ("e_mail ", "email"),
        ("  Phone   number ", "phone"),
    ],
)
def test_a_header_in_any_of_six_languages_is_suggested(header: str, target: str) -> None:
    """I1"""
    assert targets([header]) == {header: target}


def test_the_headers_of_the_issue_all_find_their_field_in_one_file() -> None:
    """I1: a file mixing the languages: every column is placed, a field filled twice by its
    first column only, and e-mails and phones from all their columns."""
    headers = ["Фамилия", "Имя", "Отчество", "Телефон", "E-mail", "Компания", "Дата рождения",
               "Сумма покупок", "First Name", "Email Address", "Phone Number", "Company Name",
               "Teléfono", "Telefon", "电话"]  # fmt: skip
    found = targets(headers)
    assert found["Имя"] == "first_name"
    assert found["First Name"] is None  # first_name is "Имя"'s
    assert found["Компания"] == "company"
    assert found["Company Name"] is None
    assert [h for h, t in found.items() if t == "phone"] == [
        "Телефон", "Phone Number", "Teléfono", "Telefon", "电话"
    ]  # fmt: skip
    assert [h for h, t in found.items() if t == "email"] == ["E-mail", "Email Address"]
    assert suggest_mapping(headers).unmapped == ("Сумма покупок", "First Name", "Company Name")


def test_a_header_matched_twice_keeps_only_its_first_column() -> None:
    """Two "name" columns: which one is meant is a guess, so the second is left unmapped."""
    assert targets(["Name", "Full Name", "ФИО"]) == {
        "Name": "full_name",
        "Full Name": None,
        "ФИО": None,
    }
    assert targets(["Client ID", "Customer ID"]) == {
        "Client ID": "external_id:import",
        "Customer ID": None,
    }


def test_a_custom_property_matched_twice_keeps_only_its_first_column() -> None:
    """The property's name and its label over two columns: the second is left unmapped,
    as for any other field (a row would otherwise take the last cell silently)."""
    assert targets(["Tier", "Уровень"], schema=SCHEMA) == {"Tier": "custom:tier", "Уровень": None}


def test_several_email_and_phone_columns_all_map() -> None:
    assert targets(["Email", "E-mail", "Work Email", "Phone", "Mobile"]) == {
        "Email": "email",
        "E-mail": "email",
        "Work Email": "email:work",
        "Phone": "phone",
        "Mobile": "phone:mobile",
    }


def test_custom_properties_are_matched_by_name_and_by_label() -> None:
    """E10: the schema's properties, their labels too, in any case."""
    assert targets(["TIER", "Сумма покупок"], schema=SCHEMA) == {
        "TIER": "custom:tier",
        "Сумма покупок": "custom:spent_before",
    }
    assert targets(["Уровень"], schema=SCHEMA) == {"Уровень": "custom:tier"}


def test_a_custom_property_named_like_a_header_wins_over_the_builtin_word() -> None:
    schema = Schema("contact", (FieldDef("segment", "string", label="Stage"),))
    assert targets(["Stage"], schema=schema) == {"Stage": "custom:segment"}
    assert targets(["Stage"]) == {"Stage": "lifecycle_stage"}


def test_the_lowercase_id_column_of_custdbs_own_export_is_this_bases_id() -> None:
    """I2: ``custdb export`` writes "id"; "ID" and "Id" are another system's id."""
    assert targets(["id", "Email"]) == {"id": "id", "Email": "email"}
    assert targets([" id "]) == {" id ": "id"}
    assert targets(["ID"]) == {"ID": "external_id:import"}
    assert targets(["Id"]) == {"Id": "external_id:import"}


def test_an_id_column_in_another_crms_export_is_that_crms_id() -> None:
    assert targets(["Id", "MailingCity"]) == {
        "Id": "external_id:salesforce",
        "MailingCity": "address:city",
    }
    assert targets(["id", "MailingCity"])["id"] == "external_id:salesforce"


def test_company_headers_map_to_company_fields() -> None:
    assert targets(["Name", "Website", "ИНН", "Phone", "Город", "ID"], entity="companies") == {
        "Name": "name",
        "Website": "website",
        "ИНН": "tax_id",
        "Phone": "phone",
        "Город": "actual_address:city",
        "ID": "external_id:import",
    }


def test_only_contacts_and_companies_are_imported() -> None:
    with pytest.raises(ValidationError) as caught:
        suggest_mapping(["Name"], entity="deals")
    assert caught.value.field == "entity"
    assert caught.value.hint == "give contacts or companies"


def test_unknown_headers_are_left_unmapped_never_guessed() -> None:
    mapping = suggest_mapping(["Любимый цвет", "Shoe size", ""])
    assert mapping.targets == (None, None, None)
    assert mapping.vendor is None
    assert mapping.to_json() == {}


# --- vendors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vendor", "marks"),
    [(vendor, marks) for vendor, alternatives in VENDOR_MARKS.items() for marks in alternatives],
)
def test_each_set_of_vendor_marks_recognises_its_crm(vendor: str, marks: tuple[str, ...]) -> None:
    """I1, I6: the headers that together say "this CRM's export"; its ids keep its name."""
    mapping = suggest_mapping([*marks, "Email"])
    assert mapping.vendor == vendor


@pytest.mark.parametrize(
    ("headers", "vendor", "id_header"),
    [
        (["Record ID", "First Name", "Lifecycle Stage"], "hubspot", "Record ID"),
        (["Record Id", "Account Name", "First Name"], "zoho", "Record Id"),
        (["Contact ID", "Mailing City", "Email"], "salesforce", "Contact ID"),
        (["Person - ID", "Person - Name", "Person - Email"], "pipedrive", "Person - ID"),
        (["Код", "Наименование", "Ответственный"], "amocrm", "Код"),
    ],
)
def test_the_id_column_of_a_recognised_export_is_that_vendors_external_id(
    headers: list[str], vendor: str, id_header: str
) -> None:
    found = targets(headers)
    assert found[id_header] == f"external_id:{vendor}"


def test_a_file_with_some_marks_of_a_vendor_only_is_no_vendors() -> None:
    assert suggest_mapping(["Record ID", "Email"]).vendor is None
    assert targets(["Record ID", "Email"])["Record ID"] == "external_id:import"


def test_zoho_is_told_from_hubspot_though_they_share_words() -> None:
    assert suggest_mapping(["Record Id", "Contact Owner", "Mailing Zip"]).vendor == "zoho"
    assert suggest_mapping(["Record ID", "Contact owner", "Email"]).vendor == "hubspot"


def test_pipedrive_person_columns_read_as_the_contacts_fields() -> None:
    assert targets(["Person - Name", "Person - Email", "Person - Phone"]) == {
        "Person - Name": "full_name",
        "Person - Email": "email",
        "Person - Phone": "phone",
    }


def test_google_contacts_value_columns_map_and_their_label_columns_are_ignored() -> None:
    """E-mail 1 - Value holds the addresses (joined by " ::: "); its Label column is not data."""
    headers = ["Given Name", "Family Name", "E-mail 1 - Label", "E-mail 1 - Value",
               "E-mail 2 - Value", "Phone 1 - Type", "Phone 1 - Value", "Address 1 - Formatted"]  # fmt: skip
    mapping = suggest_mapping(headers)
    assert mapping.vendor == "google"
    assert dict(zip(headers, map(str, mapping.targets), strict=True)) == {
        "Given Name": "first_name",
        "Family Name": "last_name",
        "E-mail 1 - Label": "ignore",
        "E-mail 1 - Value": "email",
        "E-mail 2 - Value": "email",
        "Phone 1 - Type": "ignore",
        "Phone 1 - Value": "phone",
        "Address 1 - Formatted": "ignore",
    }
    assert mapping.unmapped == ()


@given(headers=st.lists(st.text(max_size=20), max_size=8))
def test_any_headers_give_a_mapping_of_one_target_or_none_per_header(headers: list[str]) -> None:
    mapping = suggest_mapping(headers)
    assert mapping.headers == tuple(headers)
    assert len(mapping.targets) == len(headers)
    once = [str(t) for t in mapping.targets if t and t.kind not in {"email", "phone", "ignore"}]
    assert len(once) == len(set(once))
