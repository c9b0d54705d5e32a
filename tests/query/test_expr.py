"""Building queries: ``F`` and the ``&``, ``|``, ``~`` combinators (S7)."""

from __future__ import annotations

from custdb.query import ALL, And, Condition, F, Not, Op, Or


def test_comparisons_build_conditions() -> None:
    assert (F("total_spent") >= 1000) == Condition("total_spent", Op.GE, 1000)
    assert (F("email") == "a@b.se") == Condition("email", Op.EQ, "a@b.se")
    assert F("email").is_null() == Condition("email", Op.IS_NULL)
    assert F("tags").contains("VIP") == Condition("tags", Op.CONTAINS, "VIP")
    assert F("tags").contains_any(["VIP", "ES"]) == Condition(
        "tags", Op.CONTAINS_ANY, ("VIP", "ES")
    )
    assert F("birthday").within_days(7) == Condition("birthday", Op.WITHIN_DAYS, 7)
    assert F("last_visit_at").older_than(days=90) == Condition("last_visit_at", Op.OLDER_THAN, 90)
    assert F("n").between(1, 5) == Condition("n", Op.BETWEEN, (1, 5))
    assert F("n").is_in([1, 2]) == Condition("n", Op.IN, (1, 2))


def test_and_or_flatten_and_double_negation_cancels() -> None:
    a, b, c = F("a") == 1, F("b") == 2, F("c") == 3
    assert (a & b & c) == And((a, b, c))
    assert (a | b | c) == Or((a, b, c))
    assert ((a & b) | c) == Or((And((a, b)), c))
    assert ~a == Not(a)
    assert ~~a == a


def test_all_is_the_empty_and() -> None:
    assert And(()) == ALL
    assert (ALL & (F("a") == 1)) == And((F("a") == 1,))


def test_field_is_not_hashable_because_eq_builds_a_condition() -> None:
    assert F.__hash__ is None
