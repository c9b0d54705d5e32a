"""One row's cells as a record's values (I1, I3): dates and numbers in the region's
forms, phones with the row's region, several values in one cell, the words other
systems write for stages and genders, full names in one column, and every bad cell of
a row reported with what to write instead."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custdb.errors import ValidationError
from custdb.io.mapping import ColumnMapping, Target, suggest_mapping
from custdb.io.row_values import Problem, RowReader, RowValues, joined_name
from custdb.io.tables import SourceRow
from custdb.model import Email, FieldDef, Gender, LifecycleStage, Phone, PostalCode, Schema


def read(headers: list[str], cells: list[Any], *, line: int = 2, **options: Any) -> RowValues:
    schema = options.get("schema")
    entity = options.get("entity", "contacts")
    reader = RowReader(suggest_mapping(headers, entity=entity, schema=schema), **options)
    return reader.read(SourceRow(line, tuple(cells)))


def phones(values: RowValues) -> list[str]:
    return [p.e164 for p in values.fields["phones"]]


def emails(values: RowValues) -> list[str]:
    return [e.address for e in values.fields["emails"]]


# --- dates and numbers -----------------------------------------------------------------


def test_a_day_first_date_is_read_as_the_russian_and_european_write_it() -> None:
    """I1: dd.mm.yyyy."""
    assert read(["Дата рождения"], ["01.02.1990"]).fields == {"birthday": dt.date(1990, 2, 1)}
    assert read(["Birthday"], ["03/04/1990"], region="NO").fields["birthday"] == dt.date(1990, 4, 3)


def test_a_us_file_writes_the_month_first() -> None:
    """I1"""
    assert read(["Birthday"], ["03/04/1990"], region="US").fields["birthday"] == dt.date(1990, 3, 4)
    assert read(["Birthday"], ["12/31/1990"], region="us").fields["birthday"] == dt.date(
        1990, 12, 31
    )


def test_an_iso_date_reads_the_same_in_every_region() -> None:
    for region in ("US", "RU", None):
        values = read(["Birthday"], ["1990-03-04"], region=region)
        assert values.fields["birthday"] == dt.date(1990, 3, 4)


def test_a_date_a_workbook_gives_is_kept() -> None:
    assert read(["Birthday"], [dt.date(1990, 2, 1)]).fields["birthday"] == dt.date(1990, 2, 1)


def employees(cell: Any) -> RowValues:
    mapping = ColumnMapping(
        ("Employees",), (Target("field", "employee_count"),), entity="companies"
    )
    return RowReader(mapping, entity="companies").read(SourceRow(2, (cell,)))


@pytest.mark.parametrize(
    ("cell", "count"),
    [("12", 12), ("12,0", 12), ("12.0", 12), ("1 200", 1200), ("1\u00a0200", 1200), (12.0, 12)],
)
def test_a_count_is_read_with_a_decimal_comma_and_spaced_thousands(cell: Any, count: int) -> None:
    """I1: number forms with comma decimals."""
    assert employees(cell).fields == {"employee_count": count}


@pytest.mark.parametrize("cell", ["12,5", "-3", "1.5", "many"])
def test_a_count_that_is_not_a_whole_number_of_0_or_more_is_a_problem(cell: str) -> None:
    """I3"""
    [problem] = employees(cell).problems
    assert problem.field == "employee_count"
    assert problem.value == cell
    assert employees(cell).fields == {}


# --- phones and regions ----------------------------------------------------------------


def test_a_russian_phone_written_from_inside_russia_reads_with_region_ru() -> None:
    """D1, I1: "8 (912) 345-67-89" is +7 912 345-67-89 dialled in Russia."""
    assert phones(read(["Телефон"], ["8 (912) 345-67-89"], region="RU")) == ["+79123456789"]


def test_a_phone_without_its_country_and_no_region_is_a_problem_naming_the_region_to_pass() -> None:
    [problem] = read(["Телефон"], ["8 (912) 345-67-89"]).problems
    assert problem.field == "phones"
    assert "country code" in problem.reason
    assert "region=" in problem.reason


def test_a_country_column_gives_each_row_its_own_region() -> None:
    """The file's region is only the default: a Norwegian row's number is Norwegian."""
    headers = ["Phone", "Country"]
    norwegian = read(headers, ["912 34 567", "Norge"], region="RU", region_column="Country")
    assert phones(norwegian) == ["+4791234567"]
    assert norwegian.fields["country"] == "NO"
    russian = read(headers, ["8 (912) 345-67-89", "Россия"], region="NO", region_column="Country")
    assert phones(russian) == ["+79123456789"]


def test_a_row_whose_country_cell_is_empty_or_unknown_takes_the_files_region() -> None:
    headers = ["Phone", "Country"]
    empty = read(headers, ["8 (912) 345-67-89", ""], region="RU", region_column="Country")
    assert phones(empty) == ["+79123456789"]
    unknown = read(headers, ["8 (912) 345-67-89", "Atlantis"], region="RU", region_column="Country")
    assert phones(unknown) == ["+79123456789"]
    [problem] = unknown.problems
    assert (problem.column, problem.field, problem.value) == ("Country", "country", "Atlantis")
    assert "two-letter code" in problem.reason


def test_a_region_column_that_is_not_a_header_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        RowReader(suggest_mapping(["Phone"]), region_column="Land")
    assert caught.value.field == "region_column"
    assert caught.value.hint == "give one of Phone"


def test_a_phone_a_workbook_made_a_number_is_read_as_its_digits() -> None:
    assert phones(read(["Phone"], [4791234567.0], region="NO")) == ["+4791234567"]


def test_a_labelled_phone_column_labels_its_numbers() -> None:
    [phone] = read(["Mobile"], ["+47 912 34 567"]).fields["phones"]
    assert phone == Phone("+4791234567", label="mobile")


# --- several values in one cell --------------------------------------------------------


@pytest.mark.parametrize(
    "cell", ["a@x.no, b@y.no", "a@x.no; b@y.no", "a@x.no ::: b@y.no", "a@x.no,b@y.no"]
)
def test_several_emails_in_one_cell_are_all_read_in_order(cell: str) -> None:
    assert emails(read(["Email"], [cell])) == ["a@x.no", "b@y.no"]


def test_googles_primary_mark_puts_its_value_first_without_the_mark() -> None:
    values = read(["E-mail 1 - Value"], ["a@x.no ::: * b@y.no"])
    assert emails(values) == ["b@y.no", "a@x.no"]
    numbers = read(["Phone 1 - Value"], ["+47 912 34 567 ::: * +7 912 345-67-89"])
    assert phones(numbers) == ["+79123456789", "+4791234567"]


def test_several_phones_in_one_cell_are_all_read() -> None:
    values = read(["Телефон"], ["8 (912) 345-67-89; +47 912 34 567"], region="RU")
    assert phones(values) == ["+79123456789", "+4791234567"]


def test_emails_and_phones_of_several_columns_are_kept_once_each_in_column_order() -> None:
    values = read(
        ["Email", "Work Email", "Phone", "Mobile"],
        ["ann@x.no", "ANN@x.no, ann@work.no", "+4791234567", "+47 912 34 567"],
    )
    assert values.fields["emails"] == (Email("ann@x.no"), Email("ann@work.no", label="work"))
    assert values.fields["phones"] == (Phone("+4791234567"),)


def test_a_bad_address_among_several_is_a_problem_of_its_column() -> None:
    [problem] = read(["Email"], ["a@x.no, not-an-email"]).problems
    assert (problem.column, problem.field) == ("Email", "emails")
    assert "name@example.com" in problem.reason


def test_tags_in_one_cell_are_a_set() -> None:
    assert read(["Tags"], ["vip, b2b; vip"]).fields["tags"] == frozenset({"vip", "b2b"})


# --- choices ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "stage"),
    [
        ("Marketing Qualified Lead", LifecycleStage.MQL),
        ("marketingqualifiedlead", LifecycleStage.MQL),
        ("Sales Qualified Lead", LifecycleStage.SQL),
        ("Customer", LifecycleStage.CUSTOMER),
        ("Клиент", LifecycleStage.CUSTOMER),
        ("  customer ", LifecycleStage.CUSTOMER),
        ("Бывший клиент", LifecycleStage.FORMER_CUSTOMER),
    ],
)
def test_lifecycle_labels_of_other_crms_read_as_stages(cell: str, stage: LifecycleStage) -> None:
    """P5: HubSpot's and the Russian CRMs' labels."""
    assert read(["Lifecycle Stage"], [cell]).fields == {"lifecycle_stage": stage}


@pytest.mark.parametrize(
    ("cell", "gender"),
    [
        ("Ж", Gender.FEMALE),
        ("ж", Gender.FEMALE),
        ("Female", Gender.FEMALE),
        ("Mujer", Gender.FEMALE),
        ("М", Gender.MALE),  # Cyrillic
        ("M", Gender.MALE),  # Latin
        ("Männlich", Gender.MALE),
        ("Не указан", Gender.UNKNOWN),
    ],
)
def test_genders_in_several_languages_read_as_the_gender(cell: str, gender: Gender) -> None:
    assert read(["Пол"], [cell]).fields == {"gender": gender}


def test_an_unknown_stage_or_gender_is_a_problem_listing_the_known_ones() -> None:
    values = read(["Lifecycle Stage", "Пол"], ["Prospect", "X"])
    stage, gender = values.problems
    assert stage.reason.endswith(
        "give one of: customer, evangelist, former_customer, lead, mql, opportunity, other, "
        "sql, subscriber"
    )
    assert gender.reason.endswith("give one of: female, male, other, unknown")
    assert values.fields == {}


# --- full names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "parts"),
    [
        ("Иванов Иван Иванович", ("Иван", "Иванович", "Иванов")),
        ("Иван Иванович Иванов", ("Иван", "Иванович", "Иванов")),
        ("Иванова Мария", ("Мария", None, "Иванова")),
        ("Ivan Petrov", ("Ivan", None, "Petrov")),
        ("Petrov, Ivan", ("Ivan", None, "Petrov")),
        ("Petrov, Ivan Sergeevich", ("Ivan", "Sergeevich", "Petrov")),
        ("Ana María García", ("Ana", "María", "García")),
        ("Madonna", ("Madonna", None, None)),
    ],
)
def test_a_full_name_in_one_column_is_split_in_either_order(
    cell: str, parts: tuple[str | None, str | None, str | None]
) -> None:
    values = read(["ФИО"], [cell])
    names = ("first_name", "middle_name", "last_name")
    expected = {name: part for name, part in zip(names, parts, strict=True) if part}
    assert values.fields == expected
    assert values.full_name == joined_name(expected)
    assert values.from_full_name == frozenset(expected)


def test_the_full_name_is_its_parts_joined_first_middle_last_casefolded() -> None:
    values = read(["ФИО"], ["Иванов Иван Иванович"])
    assert values.full_name == "иван иванович иванов"
    assert read(["ФИО"], ["Иван Иванович Иванов"]).full_name == values.full_name


def test_a_name_part_column_wins_over_the_full_names_part_and_is_not_from_it() -> None:
    """A row with both: "Имя" is the first name, whichever column comes first; the parts
    the full name still gave are the ones marked as from it."""
    for headers, cells in (
        (["ФИО", "Имя"], ["Иванов Иван Иванович", "Ваня"]),
        (["Имя", "ФИО"], ["Ваня", "Иванов Иван Иванович"]),
    ):
        values = read(headers, cells)
        assert values.fields == {
            "first_name": "Ваня",
            "middle_name": "Иванович",
            "last_name": "Иванов",
        }
        assert values.full_name == "иван иванович иванов"
        assert values.from_full_name == frozenset({"middle_name", "last_name"})


def test_a_row_without_a_full_name_column_has_no_full_name() -> None:
    values = read(["Имя", "Фамилия"], ["Иван", "Иванов"])
    assert values.fields == {"first_name": "Иван", "last_name": "Иванов"}
    assert values.full_name is None
    assert values.from_full_name == frozenset()


def test_an_empty_full_name_cell_gives_no_name() -> None:
    values = read(["ФИО", "Email"], ["  ", "a@x.no"])
    assert "first_name" not in values.fields
    assert values.full_name is None


# --- bad cells -------------------------------------------------------------------------


def test_every_bad_cell_of_a_row_is_reported_not_only_the_first() -> None:
    """I3: a clear report per row and field, each saying what to write instead."""
    headers = ["Full Name", "Email", "Birthday", "Пол", "Phone", "Lifecycle Stage"]
    cells = ["Ivan Petrov", "not-an-email", "31.02.1990", "Q", "12", "Nope"]
    values = read(headers, cells, line=7, region="RU")
    assert [(p.line, p.column, p.field, p.value) for p in values.problems] == [
        (7, "Email", "emails", "not-an-email"),
        (7, "Birthday", "birthday", "31.02.1990"),
        (7, "Пол", "gender", "Q"),
        (7, "Phone", "phones", "12"),
        (7, "Lifecycle Stage", "lifecycle_stage", "Nope"),
    ]
    reasons = [p.reason for p in values.problems]
    assert "write it as name@example.com" in reasons[0]
    assert "check the day and the month" in reasons[1]
    assert "give one of: female" in reasons[2]
    assert "+7 912 345-67-89" in reasons[3]
    assert "give one of: customer" in reasons[4]
    assert values.fields == {"first_name": "Ivan", "last_name": "Petrov"}


def test_a_problem_carries_line_column_field_value_and_reason() -> None:
    [problem] = read(["Email"], ["bad"], line=41).problems
    assert problem == Problem(41, "Email", "emails", "bad", problem.reason)
    assert problem.reason.startswith("is not a valid e-mail address")


def test_a_bad_postal_code_says_how_to_write_it() -> None:
    """I3: the reason says what to write, as for every other cell."""
    values = read(["City", "Postal Code"], ["Москва", "1010"], region="RU")
    [problem] = values.problems
    assert (problem.column, problem.field, problem.value) == (
        "Postal Code",
        "address.postal_code",
        "1010",
    )
    assert "not a postal code of RU" in problem.reason
    assert "write it like 101000" in problem.reason


def test_a_postal_code_is_read_in_the_addresss_own_country() -> None:
    values = read(["City", "Postal Code", "Mailing Country"], ["Oslo", "0150", "Norway"])
    address = values.fields["address"]
    assert address.postal_code == PostalCode("0150", "NO")
    assert address.country == "NO"


def test_a_postal_code_without_any_country_is_kept_with_the_street() -> None:
    values = read(["Street", "Postal Code"], ["ул. Ленина, 1", "101000"])
    assert values.fields["address"].street == "ул. Ленина, 1, 101000"
    assert values.fields["address"].postal_code is None


# --- empty and neutralised cells -------------------------------------------------------


@pytest.mark.parametrize("cell", ["", "   ", "\t", None])
def test_an_empty_cell_gives_no_field(cell: Any) -> None:
    """An import never clears a field the file leaves empty."""
    headers = ["Notes", "Email", "Phone", "Birthday", "Пол", "Company"]
    values = read(headers, [cell] * len(headers), region="RU")
    assert values == RowValues(2, {}, None, ())


def test_a_row_shorter_than_the_headers_reads_the_missing_cells_as_empty() -> None:
    values = read(["Email", "Phone", "Notes"], ["a@x.no"])
    assert values.fields == {"emails": (Email("a@x.no"),)}
    assert values.problems == ()


@pytest.mark.parametrize(
    ("header", "cell", "field", "value"),
    [
        ("Notes", "'=SUM(A1)", "notes", "=SUM(A1)"),
        ("Notes", "'@mention", "notes", "@mention"),
        ("Notes", "'-5 points", "notes", "-5 points"),
        ("Notes", "'plain quote", "notes", "'plain quote"),  # no formula behind it: kept
    ],
)
def test_a_cell_an_export_neutralised_is_read_without_its_leading_quote(
    header: str, cell: str, field: str, value: str
) -> None:
    """I4: an export prefixes a formula-like text with ', and an import takes it off."""
    assert read([header], [cell]).fields == {field: value}


def test_a_neutralised_phone_is_read_as_the_number() -> None:
    assert phones(read(["Phone"], ["'+4791234567"])) == ["+4791234567"]


def test_the_company_cell_is_the_company_name_and_not_a_field() -> None:
    values = read(["Компания", "ID"], ["  ООО   Ромашка ", 17.0])
    assert values.company_name == "ООО Ромашка"
    assert values.fields == {"external_ids": {"import": "17"}}


def test_the_own_id_column_fills_the_id() -> None:
    assert read(["id"], ["c_123"]).fields == {"id": "c_123"}


# --- custom properties -----------------------------------------------------------------

SCHEMA = Schema(
    "contact",
    (
        FieldDef("tier", "enum", options={"gold", "silver"}),
        FieldDef("visits", "integer"),
        FieldDef("score", "decimal"),
        FieldDef("since", "date"),
    ),
)


def test_custom_properties_are_typed_by_the_schema_in_the_rows_region() -> None:
    values = read(
        ["tier", "visits", "score", "since"], ["gold", "1 200", "12.5", "03/04/2020"],
        schema=SCHEMA, region="US",
    )  # fmt: skip
    assert values.fields == {
        "custom": {"tier": "gold", "visits": 1200, "score": Decimal("12.5"),
                   "since": dt.date(2020, 3, 4)}
    }  # fmt: skip


def test_a_custom_number_is_read_with_a_decimal_comma() -> None:
    """I1: number forms with comma decimals, in custom properties as in counts."""
    values = read(["score"], ["12,5"], schema=SCHEMA, region="RU")
    assert values.problems == ()
    assert values.fields == {"custom": {"score": Decimal("12.5")}}


def test_every_bad_custom_cell_is_reported_with_what_to_write() -> None:
    """I3: all of a row's bad cells, custom properties too, never only the first."""
    values = read(
        ["Email", "tier", "visits", "since"], ["bad", "bronze", "many", "someday"], schema=SCHEMA
    )
    assert [(p.column, p.field, p.value) for p in values.problems] == [
        ("Email", "emails", "bad"),
        ("tier", "custom.tier", "bronze"),
        ("visits", "custom.visits", "many"),
        ("since", "custom.since", "someday"),
    ]
    assert "gold, silver" in values.problems[1].reason
    assert "custom" not in values.fields


# --- any cell --------------------------------------------------------------------------

_HEADERS = ["ФИО", "Email", "Phone", "Birthday", "Пол", "Lifecycle Stage", "Country", "Tags",
            "Postal Code", "Company", "ID", "Notes", "tier", "score"]  # fmt: skip


@given(cells=st.lists(st.text(max_size=25), min_size=len(_HEADERS), max_size=len(_HEADERS)))
def test_any_text_in_any_column_gives_values_or_problems_never_an_error(cells: list[str]) -> None:
    values = read(_HEADERS, cells, line=5, region="RU", schema=SCHEMA)
    filled = sum(1 for cell in cells if cell.strip())
    assert len(values.problems) <= filled
    for problem in values.problems:
        assert problem.line == 5
        assert problem.column in _HEADERS
        assert problem.reason


def test_a_custom_whole_number_with_a_decimal_comma_is_read_or_reported_as_written() -> None:
    values = read(["visits", "score"], ["12,0", "1 234,75"], schema=SCHEMA, region="RU")
    assert values.fields == {"custom": {"visits": 12, "score": Decimal("1234.75")}}
    [problem] = read(["visits"], ["12,5"], schema=SCHEMA).problems
    assert (problem.field, problem.value) == ("custom.visits", "12,5")
    assert "give digits only" in problem.reason


def test_a_required_custom_property_the_row_lacks_is_reported_with_the_bad_cells() -> None:
    schema = SCHEMA.with_field(FieldDef("segment", "string", required=True))
    values = read(["tier", "visits"], ["bronze", "many"], schema=schema)
    assert [(p.field, p.value) for p in values.problems] == [
        ("custom.tier", "bronze"),
        ("custom.visits", "many"),
        ("custom.segment", None),
    ]
    assert "is required" in values.problems[2].reason


def test_a_google_label_column_labels_its_values_and_its_star_puts_them_first() -> None:
    """I1: Google's ``E-mail 2 - Label`` beside ``E-mail 2 - Value``, in any language."""
    headers = ["E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label", "E-mail 2 - Value",
               "Phone 1 - Label", "Phone 1 - Value"]  # fmt: skip
    cells = ["Домашний", "home@example.ru", "* Work", "a@example.ru ::: b@example.ru",
             "Pager", "+4791234567"]  # fmt: skip
    values = read(headers, cells)
    assert [(e.label, e.address) for e in values.fields["emails"]] == [
        ("work", "a@example.ru"),
        ("work", "b@example.ru"),
        ("home", "home@example.ru"),
    ]
    assert [(p.label, p.e164) for p in values.fields["phones"]] == [("other", "+4791234567")]


def test_an_empty_label_cell_leaves_the_values_unlabelled() -> None:
    values = read(["E-mail 1 - Label", "E-mail 1 - Value"], ["", "a@example.com"])
    assert values.fields["emails"] == (Email("a@example.com"),)


def test_googles_group_of_every_contact_is_no_tag() -> None:
    headers = ["Given Name", "Group Membership", "E-mail 1 - Type", "E-mail 1 - Value"]
    values = read(headers, ["Ola", "* myContacts ::: Friends ::: * starred", "", "o@x.no"])
    assert values.fields["tags"] == frozenset({"Friends", "starred"})
    assert read(["Tags"], ["myContacts, VIP"]).fields["tags"] == frozenset({"myContacts", "VIP"})
