"""Survey answers (E8): NPS, CSAT and CES scores with reasons, on a declared scale."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import ClassVar

import attrs

from custdb.model._checks import (
    Choice,
    check_aware_required,
    check_int,
    check_key,
    check_optional_text,
    check_texts,
    choice,
    coerce_choice,
    fail,
)
from custdb.model.entity import Entity
from custdb.model.frozen import FrozenMap, to_tuple

__all__ = ["DEFAULT_SCALES", "Scale", "SurveyKind", "SurveyResponse"]


class SurveyKind(Choice):
    NPS = "nps"
    CSAT = "csat"
    CES = "ces"


def _to_survey_kind(value: SurveyKind | str) -> SurveyKind:
    return coerce_choice(SurveyKind, value)


def _check_high(instance: Scale, attribute: attrs.Attribute[int], value: int) -> None:
    if value <= instance.low:
        raise fail(instance, attribute, value, "a scale must go up", "give high > low")


@attrs.frozen
class Scale:
    """The answer range of a question, both ends included (``Scale(1, 10)``).

    Higher is better on every scale custdb reads, so :meth:`normalise` puts any answer
    on 0..1 for comparing NPS, CSAT and CES side by side.
    """

    low: int = attrs.field(validator=check_int)
    high: int = attrs.field(validator=[check_int, _check_high])

    def __contains__(self, score: object) -> bool:
        return isinstance(score, int) and self.low <= score <= self.high

    def normalise(self, score: int) -> Decimal:
        """``score`` on 0..1: ``Scale(0, 10).normalise(7) == Decimal("0.7")``."""
        return Decimal(score - self.low) / Decimal(self.high - self.low)


DEFAULT_SCALES: FrozenMap[SurveyKind, Scale] = FrozenMap(
    {
        SurveyKind.NPS: Scale(0, 10),
        SurveyKind.CSAT: Scale(1, 5),
        SurveyKind.CES: Scale(1, 7),
    }
)
"""The usual scales; a survey asked "on a scale 1 to 10" declares ``Scale(1, 10)``."""


def _check_score(instance: SurveyResponse, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or value not in instance.scale:
        scale = instance.scale
        raise fail(
            instance,
            attribute,
            value,
            f"outside the {instance.kind.value} scale {scale.low}..{scale.high}",
            f"give a whole number from {scale.low} to {scale.high}, or declare the scale used",
        )


@attrs.frozen(kw_only=True, repr=False)
class SurveyResponse(Entity):
    """One answer by one contact. ``reason_codes`` come from standard lists (why they
    would leave, what makes them happy) so they can be counted.
    """

    ENTITY: ClassVar[str] = "survey_response"
    SUMMARY: ClassVar[tuple[str, ...]] = ("kind", "score", "contact_id")

    contact_id: str = attrs.field(validator=check_key)
    kind: SurveyKind = attrs.field(converter=_to_survey_kind, validator=choice(SurveyKind))
    scale: Scale = attrs.field()
    score: int = attrs.field(validator=_check_score)
    answered_at: datetime = attrs.field(validator=check_aware_required)
    comment: str | None = attrs.field(default=None, validator=check_optional_text)
    reason_codes: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=check_texts
    )

    @scale.default
    def _default_scale(self) -> Scale:
        return DEFAULT_SCALES.get(self.kind, Scale(0, 10))

    @property
    def normalised(self) -> Decimal:
        """The score on 0..1, comparable across kinds and scales."""
        return self.scale.normalise(self.score)
