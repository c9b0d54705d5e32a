"""What a demo base holds, as data: counts, breakdowns, the pipeline, top clients,
satisfaction, and the planted duplicates. :mod:`custdb.demo._text` prints it."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal

import attrs

from custdb import normalize
from custdb.model import Contact, Deal, FrozenMap, SurveyKind, SurveyResponse
from custdb.query import F
from custdb.storage.base import ENTITIES, Store, Transaction

__all__ = [
    "DemoSummary",
    "DuplicatePair",
    "StageLine",
    "TopClient",
    "csat",
    "find_planted_duplicates",
    "nps",
    "summarize",
]

_STAGES = ("new", "qualified", "proposal", "negotiation", "won", "lost")


@attrs.frozen
class StageLine:
    """Deals at one pipeline stage; ``values`` holds one sum per currency."""

    stage: str
    count: int
    values: tuple[tuple[str, Decimal], ...]


@attrs.frozen
class TopClient:
    name: str
    country: str | None
    total_spent: Decimal
    currency: str | None
    order_count: int


@attrs.frozen
class DuplicatePair:
    """Two contacts that look like one person, and what they share (``"phone +7…"``)."""

    first: str
    second: str
    shared: str


@attrs.frozen(kw_only=True)
class DemoSummary:
    """What a demo base holds; ``added`` is what the run that built it added."""

    counts: FrozenMap[str, int]
    by_country: tuple[tuple[str, int], ...]
    by_language: tuple[tuple[str, int], ...]
    stages: tuple[StageLine, ...]
    top_clients: tuple[TopClient, ...]
    nps: Decimal | None
    nps_answers: int
    csat: Decimal | None
    csat_answers: int
    open_tickets: int
    duplicates: tuple[DuplicatePair, ...]
    added: FrozenMap[str, int] = attrs.field(factory=FrozenMap)


def summarize(store: Store) -> DemoSummary:
    """Counts, breakdowns and a few metrics of whatever ``store`` holds."""
    with store.begin() as tx:
        contacts = list(tx.contacts.iterate())
        surveys = list(tx.surveys.iterate())
        return DemoSummary(
            counts=FrozenMap({name: getattr(tx, name).count() for name in ENTITIES}),
            by_country=_tally(c.country for c in contacts),
            by_language=_tally(c.language for c in contacts),
            stages=_stages(tx.deals.iterate()),
            top_clients=_top_clients(tx, store.base_currency),
            nps=nps(surveys),
            nps_answers=sum(1 for s in surveys if s.kind is SurveyKind.NPS),
            csat=csat(surveys),
            csat_answers=sum(1 for s in surveys if s.kind is SurveyKind.CSAT),
            open_tickets=tx.tickets.count(F("resolved_at").is_null()),
            duplicates=find_planted_duplicates(contacts),
        )


def _tally(values: Iterable[str | None]) -> tuple[tuple[str, int], ...]:
    return tuple(Counter(value or "?" for value in values).most_common())


def _stages(deals: Iterable[Deal]) -> tuple[StageLine, ...]:
    counts: Counter[str] = Counter()
    values: defaultdict[str, defaultdict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for deal in deals:
        counts[deal.stage] += 1
        if deal.amount is not None:
            values[deal.stage][deal.amount.currency] += deal.amount.amount
    order = [s for s in _STAGES if s in counts] + sorted(set(counts) - set(_STAGES))
    return tuple(
        StageLine(stage, counts[stage], tuple(sorted(values[stage].items()))) for stage in order
    )


def _top_clients(tx: Transaction, currency: str | None, limit: int = 5) -> tuple[TopClient, ...]:
    """The contacts who spent most, by the ``total_spent`` roll-up, which is in the
    store's base currency ``currency``."""
    best = tx.contacts.select(order_by="-total_spent", limit=limit)
    return tuple(_top_client(c, currency) for c in best if c.stats.total_spent > 0)


def _top_client(contact: Contact, currency: str | None) -> TopClient:
    return TopClient(
        name=contact.full_name,
        country=contact.country,
        total_spent=contact.stats.total_spent,
        currency=currency,
        order_count=contact.stats.order_count,
    )


def nps(answers: Iterable[SurveyResponse]) -> Decimal | None:
    """Net promoter score: % promoters (9-10) minus % detractors (0-6), on 0-10 answers."""
    scores = [a.score for a in answers if a.kind is SurveyKind.NPS and a.scale.high == 10]
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return _percent(promoters - detractors, len(scores))


def csat(answers: Iterable[SurveyResponse]) -> Decimal | None:
    """Customer satisfaction: the share of 4 and 5 answers on a 1-5 scale, in %."""
    scores = [a.score for a in answers if a.kind is SurveyKind.CSAT and a.scale.high == 5]
    if not scores:
        return None
    return _percent(sum(1 for s in scores if s >= 4), len(scores))


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def find_planted_duplicates(contacts: Iterable[Contact]) -> tuple[DuplicatePair, ...]:
    """Pairs with the same :func:`custdb.normalize.person_key` that share a phone or an
    e-mail (compared without case).

    A deliberately tiny check that shows the sample's planted duplicates, not a
    duplicate finder (no blocking, no scored comparisons, no review thresholds).
    """
    groups: defaultdict[str, list[Contact]] = defaultdict(list)
    for contact in contacts:
        groups[normalize.person_key(contact.first_name, contact.last_name)].append(contact)
    pairs = []
    for group in groups.values():
        for first, second in itertools.combinations(group, 2):
            shared = _shared(first, second)
            if shared is not None:
                pairs.append(DuplicatePair(first.full_name, second.full_name, shared))
    return tuple(pairs)


def _shared(first: Contact, second: Contact) -> str | None:
    phones = {p.e164 for p in first.phones} & {p.e164 for p in second.phones}
    if phones:
        return f"phone {min(phones)}"
    emails = {e.address.casefold() for e in first.emails} & {
        e.address.casefold() for e in second.emails
    }
    return f"e-mail {min(emails)}" if emails else None
