"""The in-memory evaluator: the reference semantics every store reproduces (S7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

from custdb.errors import QueryError
from custdb.model import ClientStats, Contact
from custdb.query import F, matches, order_by, predicate, sort

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.timezone.utc)
UTC = dt.timezone.utc


def person(**fields: object) -> Contact:
    return Contact(first_name="Anna", **fields)  # type: ignore[arg-type]


def test_comparison_on_an_empty_field_is_false_and_its_negation_true() -> None:
    empty = person()
    assert not matches(empty, F("birthday") < dt.date(2000, 1, 1))
    assert matches(empty, ~(F("birthday") < dt.date(2000, 1, 1)))
    assert matches(empty, F("last_name") != "Berg")
    assert not matches(empty, F("last_name") == "Berg")


def test_s7_no_visit_in_90_days_includes_never_only_when_asked() -> None:
    old = person(stats=ClientStats(last_visit_at=NOW - dt.timedelta(days=91)))
    recent = person(stats=ClientStats(last_visit_at=NOW - dt.timedelta(days=5)))
    never = person()
    lapsed = F("last_visit_at").older_than(days=90)
    assert [matches(p, lapsed, now=NOW) for p in (old, recent, never)] == [True, False, False]
    lapsed_or_never = lapsed | F("last_visit_at").is_null()
    assert [matches(p, lapsed_or_never, now=NOW) for p in (old, recent, never)] == [
        True,
        False,
        True,
    ]


def test_s7_birthday_within_days_crosses_the_new_year() -> None:
    near_year_end = NOW.replace(month=12, day=28)
    soon = F("birthday").within_days(7)
    assert matches(person(birthday=dt.date(1990, 1, 2)), soon, now=near_year_end)
    assert matches(person(birthday=dt.date(1990, 12, 28)), soon, now=near_year_end)
    assert not matches(person(birthday=dt.date(1990, 1, 5)), soon, now=near_year_end)


def test_leap_day_birthdays_count_on_28_february_in_common_years() -> None:
    feb_27 = dt.datetime(2027, 2, 27, tzinfo=UTC)
    assert matches(person(birthday=dt.date(2000, 2, 29)), F("birthday").within_days(1), now=feb_27)
    assert not matches(
        person(birthday=dt.date(2000, 2, 29)), F("birthday").within_days(0), now=feb_27
    )


def test_contains_on_text_ignores_case_in_every_script() -> None:
    assert matches(Contact(last_name="Иванова"), F("last_name").contains("иван"))
    assert matches(Contact(last_name="STRAẞE"), F("last_name").contains("strasse"))
    assert not matches(Contact(last_name="Berg"), F("last_name").contains("x"))


def test_s7_contains_any_matches_a_set_holding_one_of_the_values() -> None:
    vip, plain = person(tags=frozenset({"VIP", "ES"})), person()
    assert matches(vip, F("tags").contains_any(["blocked", "ES"]))
    assert not matches(vip, F("tags").contains_any(["blocked"]))
    assert not matches(plain, F("tags").contains_any(["VIP"]))
    assert matches(plain, ~F("tags").contains_any(["VIP"]))


def test_contains_any_with_no_values_matches_nothing() -> None:
    assert not matches(person(tags=frozenset({"VIP"})), F("tags").contains_any([]))
    assert not matches(person(), F("tags").contains_any([]))


def test_datetimes_compare_as_instants_across_time_zones() -> None:
    moscow = dt.timezone(dt.timedelta(hours=3))
    visited = person(stats=ClientStats(last_visit_at=dt.datetime(2026, 1, 1, 2, tzinfo=moscow)))
    assert matches(visited, F("last_visit_at") < dt.datetime(2026, 1, 1, tzinfo=UTC))


def test_money_fields_compare_by_amount() -> None:
    from custdb.model import Deal, Money  # noqa: PLC0415

    deal = Deal(name="X", stage="new", amount=Money(Decimal(1500), "EUR"))
    assert matches(deal, F("amount") >= 1000)
    assert not matches(deal, F("amount") > Money(Decimal(2000), "EUR"))


def test_predicate_is_reusable_over_many_records() -> None:
    rich = predicate(F("total_spent") >= 1000, Contact)
    people = [person(stats=ClientStats(total_spent=Decimal(n))) for n in (10, 1000, 5000)]
    assert [rich(p) for p in people] == [False, True, True]


def test_sort_puts_empty_values_last_in_both_directions() -> None:
    people = [person(id=f"id{i}", last_name=name) for i, name in enumerate(["b", None, "a", "c"])]
    up = sort(people, order_by("last_name", Contact))
    down = sort(people, order_by("-last_name", Contact))
    assert [p.last_name for p in up] == ["a", "b", "c", None]
    assert [p.last_name for p in down] == ["c", "b", "a", None]


def test_sort_breaks_ties_by_id() -> None:
    people = [attrs.evolve(person(), id=i) for i in ("c", "a", "b")]
    assert [p.id for p in sort(people, order_by("first_name", Contact))] == ["a", "b", "c"]


def test_cannot_sort_by_a_set_or_unknown_field() -> None:
    with pytest.raises(QueryError):
        order_by("tags", Contact)
    with pytest.raises(QueryError):
        order_by("-nope", Contact)


def test_s7_sort_by_a_misspelt_field_names_it_without_the_minus_and_suggests() -> None:
    """Foundation III item 11: ``-totl_spent`` kept its minus and listed no fields."""
    with pytest.raises(QueryError, match=r"did you mean total_spent\?") as caught:
        order_by("-totl_spent", Contact)
    assert caught.value.field == "totl_spent"
    assert "tags" not in str(caught.value).split("known fields:")[1]  # not sortable
    with pytest.raises(QueryError, match="holds several values"):
        order_by("tags", Contact)
    assert [key.field.name for key in order_by(["-city"], Contact)] == ["address.city", "id"]


@pytest.mark.parametrize("spec", [5, [5], ["first_name", None], {"first_name": 1}, b"x"])
def test_s7_an_order_by_that_is_not_field_names_is_a_query_error(spec: object) -> None:
    """Foundation III item 16: ``order_by=5`` was a TypeError."""
    with pytest.raises(QueryError, match="order_by takes a field name"):
        order_by(spec, Contact)  # type: ignore[arg-type]


def test_s7_address_parts_and_totals_match_in_memory() -> None:
    """Foundation III item 11: an address is a typical segment filter."""
    from custdb.model import Address, Money, Order, OrderItem, PostalCode  # noqa: PLC0415

    oslo = person(address=Address(city="Oslo", postal_code=PostalCode("0150", "NO")))
    assert matches(oslo, F("city") == "Oslo")
    assert matches(oslo, F("address.postal_code") == "0150")
    assert not matches(person(), F("address.city").not_null())
    order = Order(
        placed_at=NOW,
        currency="EUR",
        items=(OrderItem(name="a", amount=Money(Decimal(600), "EUR")),) * 2,
    )
    assert matches(order, F("total") >= 1200)
    assert not matches(order, F("total") > 1200)


def test_tags_match_without_regard_to_case_in_every_script() -> None:
    """Foundation III item 6 (E1): tags fold with ``str.casefold`` on both sides."""
    regular = person(tags={"VIP", "Постоянный", "Straße"})
    for wanted in ("vip", "Vip", "ПОСТОЯННЫЙ", "постоянный", "STRASSE"):
        assert matches(regular, F("tags").contains(wanted)), wanted
    assert matches(regular, F("tags").contains_any(["nothing", "vIP"]))
    assert not matches(regular, F("tags").contains("VI"))  # a whole tag, not a substring
    assert not matches(regular, ~F("tags").contains("vip"))
    assert regular.tags == frozenset({"VIP", "Постоянный", "Straße"})  # the spelling is kept


def test_email_matches_without_regard_to_case_in_every_operator() -> None:
    """Foundation III item 6 (D1): the main e-mail address folds as tags do."""
    hakon = person(emails=["Hakon.Braten@online.no"])
    assert matches(hakon, F("email") == "hakon.braten@online.no")
    assert not matches(hakon, F("email") != "HAKON.BRATEN@ONLINE.NO")
    assert matches(hakon, F("email").is_in(["x@y.no", "HAKON.braten@online.no"]))
    assert matches(hakon, F("email").between("HAKON", "HAKON.C"))
    assert not matches(hakon, F("email") < "a")  # folded, "hakon..." sorts after "a"
    assert not matches(person(), F("email") == "hakon.braten@online.no")
    assert matches(person(), F("email") != "hakon.braten@online.no")


def test_other_text_keeps_exact_equality() -> None:
    """Foundation III item 6: folding is for tags and e-mails; names compare exactly."""
    assert not matches(person(), F("first_name") == "anna")
    assert matches(person(), F("first_name") == "Anna")


def test_sorting_by_email_uses_the_spelling() -> None:
    """Foundation III item 6: folding decides matches, not the order (as in SQL)."""
    people = [
        person(id="a", emails=["b@x.no"]),
        person(id="b", emails=["B@x.no"]),
        person(id="c", emails=["a@x.no"]),
    ]
    assert [p.id for p in sort(people, order_by("email", Contact))] == ["b", "c", "a"]
