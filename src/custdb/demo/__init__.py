"""The demo base: a realistic, messy, multilingual sample loaded into any store.

``custdb demo`` calls :func:`build_demo` and prints :func:`format_summary`. The sample
(``custdb/demo/data/*.csv``) is a chain of beauty salons and car workshops with branches
in Russia, Norway, Spain, the United States and the United Kingdom: over 300 contacts,
their companies, a B2B deal pipeline, orders with services and products, tickets,
NPS and CSAT answers, activities, and a few clients entered twice under different
spellings. Its cells are written the way each branch exports them (``8 (912) 345-67-89``,
``15.03.2024``, ``1 500,50``) and go through :mod:`custdb.normalize` on the way in.

Loading is idempotent: every record carries ``external_ids={"demo": <sample key>}``, and a
second run finds the stored records by that key and adds nothing, so neither the counts
nor the change log move.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from custdb import normalize
from custdb.demo._load import Ids, Row, Traversable, bundled, read_rows
from custdb.demo._records import KINDS, SYSTEM, Kind
from custdb.errors import ValidationError
from custdb.model import Contact, Deal, FrozenMap, SurveyKind, SurveyResponse, new_id
from custdb.query import F
from custdb.storage.base import ENTITIES, Store, Transaction

__all__ = [
    "DemoSummary",
    "DuplicatePair",
    "Progress",
    "StageLine",
    "TopClient",
    "build_demo",
    "find_planted_duplicates",
    "format_summary",
    "summarize",
]

Progress = Callable[[str, int], None]
"""Called after each repository is loaded, with its name and how many records were added."""

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


RATES = {
    "EUR": Decimal(100),
    "GBP": Decimal(117),
    "NOK": Decimal("8.6"),
    "USD": Decimal(92),
}
"""Roubles per unit of the sample's other currencies: fixed, illustrative rates, so that
total spent (in the demo base's currency, RUB) ranks clients of every country."""


# --- building ---------------------------------------------------------------------------


def build_demo(
    store: Store,
    *,
    progress: Progress | None = None,
    source: Traversable | Path | None = None,
) -> DemoSummary:
    """Load the demo sample into ``store`` in one transaction, then summarise the store.

    ``source`` is a directory holding the sample's CSV files (the bundled one by
    default). A cell that does not parse raises ``ValidationError`` naming the file, the
    row and the field, and nothing is written.
    """
    with store.begin(actor="custdb-demo", cause="demo") as tx:
        tx.set_rates(RATES, base_currency="RUB")
        added = _load(tx, bundled() if source is None else source, progress)
    return attrs.evolve(summarize(store), added=FrozenMap(added))


def _load(tx: Transaction, source: Traversable | Path, progress: Progress | None) -> dict[str, int]:
    ids = Ids()
    groups = {kind.repo: _groups(kind, source, ids) for kind in KINDS}
    missing = {kind.repo: _resolve(tx, kind.repo, groups[kind.repo], ids) for kind in KINDS}
    added: dict[str, int] = {}
    for kind in KINDS:
        records = [_built(kind, key, groups[kind.repo][key], ids) for key in missing[kind.repo]]
        if records:
            getattr(tx, kind.repo).add_many(records)
        added[kind.repo] = len(records)
        if progress is not None:
            progress(kind.repo, len(records))
    return added


def _groups(kind: Kind, source: Traversable | Path, ids: Ids) -> dict[str, list[Row]]:
    """The rows of each record, by record key, in file order."""
    groups: dict[str, list[Row]] = {}
    for row in read_rows(source, kind.file, ids, kind.entity):
        if kind.only is not None and row.text(kind.only) is None:
            continue
        groups.setdefault(row.required(kind.group) + kind.suffix, []).append(row)
    return groups


def _resolve(tx: Transaction, repo: str, keys: Iterable[str], ids: Ids) -> list[str]:
    """Give every key an id (the stored record's, or a new one); return the keys not stored."""
    repository = getattr(tx, repo)
    missing = []
    for key in keys:
        stored = repository.by_external_id(SYSTEM, key)
        ids.set(repo, key, new_id() if stored is None else stored.id)
        if stored is None:
            missing.append(key)
    return missing


def _built(kind: Kind, key: str, rows: Sequence[Row], ids: Ids) -> Any:
    try:
        record = kind.build(rows, ids[kind.repo, key])
    except ValidationError as e:
        if e.row is not None:
            raise
        raise rows[0].error(e.field or kind.group, e.reason, e.hint) from e
    return attrs.evolve(record, external_ids={SYSTEM: key})


# --- summarising ------------------------------------------------------------------------


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

    A deliberately tiny check that shows the sample's planted duplicates; finding
    duplicates properly (blocking, scored comparisons, review thresholds) is the job of
    ``custdb.dedupe``.
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


# --- printing ---------------------------------------------------------------------------


def format_summary(summary: DemoSummary) -> str:
    """The summary as text for a terminal."""
    sections = [
        _records(summary),
        _breakdowns(summary),
        _pipeline(summary),
        _clients(summary),
        _satisfaction(summary),
        _duplicates(summary),
    ]
    return "\n\n".join(sections) + "\n"


def _records(summary: DemoSummary) -> str:
    nothing = bool(summary.added) and not any(summary.added.values())
    lines = ["Records (nothing added: the demo base was complete)" if nothing else "Records"]
    for name, count in summary.counts.items():
        added = summary.added.get(name)
        note = f"  (+{added:,} added)" if added else ""
        lines.append(f"  {name:<14}{count:>6,}{note}")
    return "\n".join(lines)


def _breakdowns(summary: DemoSummary) -> str:
    def tally(pairs: Sequence[tuple[str, int]]) -> str:
        return " · ".join(f"{key} {count}" for key, count in pairs) or "-"

    return (
        f"Contacts by country   {tally(summary.by_country)}\n"
        f"Contacts by language  {tally(summary.by_language)}"
    )


def _pipeline(summary: DemoSummary) -> str:
    """Deals per stage, one column of value per currency (amounts are never mixed)."""
    if not summary.stages:
        return "Deals by stage\n  (no deals)"
    currencies = sorted({currency for line in summary.stages for currency, _ in line.values})
    lines = ["Deals by stage   deals" + "".join(f"{c:>15}" for c in currencies)]
    for line in summary.stages:
        values = dict(line.values)
        cells = "".join(f"{values[c]:>15,.2f}" if c in values else f"{'-':>15}" for c in currencies)
        lines.append(f"  {line.stage:<14}{line.count:>5}{cells}")
    return "\n".join(lines)


def _clients(summary: DemoSummary) -> str:
    lines = ["Top clients by total spent (completed orders)"]
    names = [f"{client.name} ({client.country or '?'})" for client in summary.top_clients]
    width = max(map(len, names), default=0)
    for rank, (client, who) in enumerate(zip(summary.top_clients, names, strict=True), 1):
        spent = f"{client.currency or '?'} {client.total_spent:,.2f}"
        lines.append(f"  {rank}. {who:<{width}}  {spent:>16}   {client.order_count} orders")
    return "\n".join(lines if summary.top_clients else [*lines, "  (no orders)"])


def _satisfaction(summary: DemoSummary) -> str:
    nps_text = "-" if summary.nps is None else f"{summary.nps:+}"
    csat_text = "-" if summary.csat is None else f"{summary.csat}% rated 4-5"
    return (
        f"NPS                   {nps_text}  ({summary.nps_answers} answers)\n"
        f"CSAT                  {csat_text}  ({summary.csat_answers} answers)\n"
        f"Open tickets          {summary.open_tickets} of {summary.counts.get('tickets', 0)}"
    )


def _duplicates(summary: DemoSummary) -> str:
    header = (
        f"Possible duplicates: {len(summary.duplicates)} (a quick check: same name key and "
        "same phone or e-mail; full dedupe comes later)"
    )
    lines = [header, *(f"  {d.first}  ~  {d.second}   [{d.shared}]" for d in summary.duplicates)]
    return "\n".join(lines)
