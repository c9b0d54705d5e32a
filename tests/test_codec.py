"""The codec: round trips, and the trusted decoder the stores read their rows with."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs
import pytest

from custdb import codec
from custdb.model import Affiliation, Consent, Team, User
from custdb.model.schema import FieldDef, FieldType, Schema
from custdb.testing import (
    make_activity,
    make_company,
    make_contact,
    make_deal,
    make_lead,
    make_order,
    make_survey_response,
    make_ticket,
)

UTC = dt.timezone.utc
SCHEMA = Schema("contact", (FieldDef("segment", FieldType.ENUM, options=frozenset({"gold"})),))

RECORDS: list[Any] = [
    make_contact(custom={"segment": "gold"}, created_at=dt.datetime(2026, 1, 2, tzinfo=UTC)),
    make_company(),
    make_deal(),
    make_order(),
    make_ticket(),
    make_activity(),
    make_survey_response(),
    make_lead(),
    Affiliation(contact_id="c1", company_id="k1", since=dt.date(2026, 1, 1)),
    User(name="Anna"),
    Team(name="Sales"),
    Consent(contact_id="c1", purpose="newsletter", channel="email"),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_trusted_decoding_equals_validated_decoding(record: Any) -> None:
    cls, schema = type(record), SCHEMA if type(record).ENTITY == "contact" else None
    data = codec.encode(record)
    trusted = codec.trusted_decoder(cls)(data, schema)
    assert trusted == codec.decode(cls, data, schema) == record
    assert hash(trusted) == hash(record)
    assert attrs.evolve(trusted, version=7) == attrs.evolve(record, version=7)


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_missing_keys_take_the_defaults(record: Any) -> None:
    cls = type(record)
    data = {"id": record.id, **{k: v for k, v in codec.encode(record).items() if v is not None}}
    assert codec.trusted_decoder(cls)(data, None) == codec.decode(cls, data)


class _Stage(enum.Enum):
    LEAD = "lead"
    CUSTOMER = "customer"

    @classmethod
    def _missing_(cls, value: object) -> _Stage | None:
        return cls.LEAD if value == "prospect" else None


@attrs.frozen
class _Staged:
    stage: _Stage


def test_trusted_enum_decoding_looks_members_up_and_keeps_missing_hooks() -> None:
    build = codec.trusted_decoder(_Staged)
    assert build({"stage": "customer"}, None).stage is _Stage.CUSTOMER
    assert build({"stage": "prospect"}, None).stage is _Stage.LEAD
    with pytest.raises(ValueError, match="nonsense"):
        build({"stage": "nonsense"}, None)


def test_datetimes_encode_each_to_its_own_utc_text_however_they_alternate() -> None:
    utc = dt.timezone.utc
    a = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=utc)
    b = dt.datetime(2026, 1, 2, 6, 4, 5, 7, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    texts = [codec.encode(make_contact(created_at=v))["created_at"] for v in (a, a, b, a, b)]
    assert texts == [a.isoformat(), a.isoformat(), b.astimezone(utc).isoformat(), *texts[1:3]]
