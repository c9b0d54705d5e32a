"""Records with extreme values, through ``add`` and back, on every store (S7, E11, E10).

Foundation III items 14, 16 and 17, the property that closes the class: whatever text
(NUL, lone surrogates, megabytes), numbers (beyond 64 bits, ``1E+6000``), moments
(``9999-12-31T23:59:59-12:00``) and custom values a record holds, either building or
adding it raises ValidationError, or the store gives the same record back. Never another
exception, and never a record that differs from what was added.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from custdb.errors import ValidationError
from custdb.model import Activity, Company, Contact, Deal, Lead, Money, Ticket


def _mostly(plain: st.SearchStrategy[Any], odd: st.SearchStrategy[Any]) -> Any:
    """Plain values three times in four, so that most records get as far as the store."""
    return st.one_of(plain, plain, plain, odd)


_ODD_TEXT = ["\x00", "a\x00b", "\ud800", "x\udfffy", "x" * 1_001, "y" * 201, " ", ""]
_TEXT = _mostly(
    st.text(min_size=1, max_size=12),
    st.text(st.characters(exclude_categories=()), max_size=12) | st.sampled_from(_ODD_TEXT),
)
_OPTIONAL_TEXT = st.none() | _TEXT
_HUGE = st.sampled_from([400, 5_000]).map(lambda digits: 10**digits)  # no huge int in repr
_INTS = _mostly(
    st.integers(-(2**63), 2**63 - 1),
    st.integers(-(2**64), 2**64) | st.sampled_from([2**63, -(2**63) - 1]) | _HUGE,
)
_DECIMALS = _mostly(
    st.decimals(allow_nan=False, allow_infinity=False),
    st.decimals()
    | st.sampled_from(
        [Decimal("1e6000"), Decimal("1e4999"), Decimal("-1e-5000"), Decimal("1e-5001")]
    )
    | _HUGE.map(Decimal),
)
_ZONES = st.sampled_from(
    [dt.timezone.utc, dt.timezone(dt.timedelta(hours=-12)), dt.timezone(dt.timedelta(hours=14))]
)
_MOMENTS = _mostly(
    st.datetimes(timezones=_ZONES),
    st.sampled_from(
        [
            dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=-12))),
            dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=14))),
            dt.datetime(2024, 1, 1),  # noqa: DTZ001 - naive on purpose: refused
        ]
    ),
)
_SCALARS = st.one_of(
    st.none(), st.booleans(), _INTS, st.floats(allow_nan=True), _TEXT, _DECIMALS, st.dates()
)
_CUSTOM = st.dictionaries(
    _TEXT,
    st.recursive(
        _SCALARS,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
        max_leaves=4,
    ),
    max_size=2,
)
_SERIAL = itertools.count()
_EXTERNAL_IDS = st.dictionaries(_TEXT, _TEXT, max_size=2).map(  # one store takes them all
    lambda ids: {system: f"{value}-{next(_SERIAL)}" for system, value in ids.items()}
)
_COMMON = {"external_ids": _EXTERNAL_IDS, "custom": _CUSTOM}


def _record(cls: type, required: dict[str, Any], optional: dict[str, Any]) -> Any:
    """``cls`` built from the required fields and any of the optional ones."""
    fields = st.fixed_dictionaries(required, optional={**_COMMON, **optional})
    return fields.map(lambda kwargs: cls(**kwargs))


_RECORDS = st.one_of(
    _record(
        Contact,
        {},
        {
            "first_name": _OPTIONAL_TEXT,
            "last_name": _OPTIONAL_TEXT,
            "notes": _OPTIONAL_TEXT,
            "country": _OPTIONAL_TEXT,
            "birthday": st.none() | st.dates() | _TEXT,
            "tags": st.frozensets(_TEXT, max_size=3),
        },
    ),
    _record(
        Company,
        {"name": _TEXT},
        {
            "employee_count": st.none() | _INTS,
            "annual_revenue": st.none() | st.builds(Money, _DECIMALS, st.just("EUR")),
        },
    ),
    _record(Lead, {}, {"company_name": _OPTIONAL_TEXT, "score": _INTS}),
    _record(
        Deal,
        {"name": _TEXT, "stage": _TEXT},
        {
            "probability": st.none() | _DECIMALS,
            "amount": st.none() | st.builds(Money, _DECIMALS, st.just("NOK")),
        },
    ),
    _record(
        Activity,
        {"kind": st.just("call"), "occurred_at": _MOMENTS},
        {"subject": _OPTIONAL_TEXT, "duration": st.none() | st.timedeltas()},
    ),
    _record(
        Ticket,
        {"subject": _TEXT, "opened_at": _MOMENTS},
        {"resolved_at": st.none() | _MOMENTS, "status": _TEXT},
    ),
)
_REPOS = {
    Contact: "contacts",
    Company: "companies",
    Lead: "leads",
    Deal: "deals",
    Activity: "activities",
    Ticket: "tickets",
}
_SECONDS_PER_EXAMPLE = 5


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_s7_extreme_records_are_refused_or_come_back_the_same(store: Any, data: Any) -> None:
    """Foundation III items 14, 16, 17: a ValidationError when built or added, or the
    same record back from the store; nothing else, and quickly."""
    started = time.monotonic()
    try:
        record = data.draw(_RECORDS)
    except ValidationError:
        event("refused when built")
        return
    try:
        with store.begin() as tx:
            added = getattr(tx, _REPOS[type(record)]).add(record)
    except ValidationError:
        event("refused when added")
        return
    event(f"stored a {type(record).__name__}")
    with store.begin() as tx:
        back = getattr(tx, _REPOS[type(record)]).get(record.id)
    assert back == added
    given_fields = {f.name for f in attrs.fields(type(record))} - {
        "version",
        "created_at",
        "updated_at",
        "stats",
    }
    for name in given_fields:
        assert getattr(back, name) == getattr(record, name), name
    assert time.monotonic() - started < _SECONDS_PER_EXAMPLE
