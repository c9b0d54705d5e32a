"""Events in the change log that are not a record's write: an import batch, an export
(I3, I4), logged with ``tx.log_event`` on every store (``store`` is parametrized in
tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from custdb.errors import ValidationError
from custdb.model import Contact


def test_an_event_is_logged_with_the_transactions_actor_and_cause(store: Any) -> None:
    with store.begin(actor="u-anna", cause="import-1") as tx:
        tx.contacts.add(Contact(id="c1", first_name="Ola"))
        tx.log_event("import", "import-1", {"file": "k.csv", "rows": 1, "on": dt.date(2026, 1, 2)})
    [event] = store.changes(entity="import")
    assert (event.id, event.op, event.actor, event.cause) == (
        "import-1",
        "event",
        "u-anna",
        "import-1",
    )
    assert event.after == {"file": "k.csv", "on": "2026-01-02", "rows": 1}
    assert [c.id for c in store.changes(cause="import-1")] == ["c1", "import-1"]
    assert store.history("import", "import-1") == [event]


def test_decimals_become_text_and_keys_are_sorted_at_every_depth(store: Any) -> None:
    with store.begin() as tx:
        tx.log_event("export", "x1", {"z": {"b": Decimal("1.50"), "a": [1]}, "a": None})
    [event] = store.changes(entity="export")
    assert list(event.after) == ["a", "z"]
    assert list(event.after["z"].items()) == [("a", [1]), ("b", "1.50")]


def test_an_event_rolls_back_with_its_transaction(store: Any) -> None:
    with pytest.raises(RuntimeError), store.begin() as tx:
        tx.log_event("export", "x1", {"rows": 3})
        raise RuntimeError("stop")
    assert store.changes(entity="export") == []


@pytest.mark.parametrize(
    ("entity", "id_", "details", "field"),
    [
        ("contact", "c1", {}, "entity"),
        ("import", "", {}, "id"),
        ("import", "b1", {"when": object()}, "details"),
    ],
)
def test_a_bad_event_is_refused_naming_the_field(
    store: Any, entity: str, id_: str, details: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught, store.begin() as tx:
        tx.log_event(entity, id_, details)
    assert caught.value.field == field
    assert store.changes() == []
