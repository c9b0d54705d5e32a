"""Survey responses (E8) on declared scales."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from custdb.errors import ValidationError
from custdb.model import DEFAULT_SCALES, Scale, SurveyKind, SurveyResponse

WHEN = datetime(2024, 5, 5, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("kind", "scale"), [("nps", Scale(0, 10)), ("csat", Scale(1, 5)), ("ces", Scale(1, 7))]
)
def test_e8_each_kind_has_its_usual_scale(kind: str, scale: Scale) -> None:
    answer = SurveyResponse(contact_id="p1", kind=kind, score=scale.high, answered_at=WHEN)
    assert answer.scale == scale == DEFAULT_SCALES[SurveyKind(kind)]
    assert answer.normalised == 1


def test_e8_a_response_keeps_comment_and_reason_codes() -> None:
    answer = SurveyResponse(
        contact_id="p1",
        kind=SurveyKind.NPS,
        score=3,
        answered_at=WHEN,
        comment="Too slow",
        reason_codes=["slow_support", "price"],
    )
    assert answer.ENTITY == "survey_response"
    assert answer.reason_codes == ("slow_support", "price")
    assert answer.normalised == Decimal("0.3")


@pytest.mark.parametrize(("kind", "score"), [("nps", 11), ("nps", -1), ("csat", 0), ("csat", 6)])
def test_e8_a_score_outside_its_scale_is_refused(kind: str, score: int) -> None:
    with pytest.raises(ValidationError) as caught:
        SurveyResponse(contact_id="p1", kind=kind, score=score, answered_at=WHEN)
    error = caught.value
    assert (error.entity, error.field, error.value) == ("survey_response", "score", score)
    assert "declare the scale" in str(error)


def test_s4_a_declared_scale_of_1_to_10_is_accepted() -> None:
    answer = SurveyResponse(
        contact_id="p1", kind="nps", scale=Scale(1, 10), score=10, answered_at=WHEN
    )
    assert answer.normalised == 1
    with pytest.raises(ValidationError):
        SurveyResponse(contact_id="p1", kind="nps", scale=Scale(1, 10), score=0, answered_at=WHEN)


def test_e8_scores_are_whole_numbers() -> None:
    with pytest.raises(ValidationError):
        SurveyResponse(contact_id="p1", kind="csat", score=4.5, answered_at=WHEN)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        SurveyResponse(contact_id="p1", kind="csat", score=True, answered_at=WHEN)


def test_e8_a_scale_goes_up() -> None:
    assert 7 in Scale(1, 7)
    assert 8 not in Scale(1, 7)
    assert Scale(1, 5).normalise(4) == Decimal("0.75")
    with pytest.raises(ValidationError) as caught:
        Scale(5, 5)
    assert (caught.value.entity, caught.value.field) == ("scale", "high")


def test_e8_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        SurveyResponse(contact_id="p1", kind="star", score=3, answered_at=WHEN)
    assert caught.value.field == "kind"
