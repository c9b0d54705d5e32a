"""What a base keeps about itself: each entity's custom-property schema, the base
currency its roll-ups are in, and the rates other currencies convert at.

They live in the ``settings`` table (SQL) or the store's dict (memory), one versioned
JSON value per name (``schema:contact``, ``base_currency``, ``rates``), and every write
of one is a change-log entry of entity ``setting``, so evolutions are audited like
records. A store reconciles what ``open_store`` was given with what the base holds
(:func:`open_settings`), adopts the first order's currency when none was declared
(:func:`adopt_base`) and grows a schema on request (:func:`evolve_schema`), each inside
one of its own transactions: ``unit`` below is a ``_unit.UnitOfWork`` whose backend
has ``settings()``, a :class:`SettingsTable`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Protocol

import attrs

from custdb.errors import ConflictError, StaleVersionError, ValidationError
from custdb.model.frozen import FrozenMap
from custdb.model.schema import Schema, compare_schemas
from custdb.model.values import CURRENCIES, to_currency, to_decimal
from custdb.query import F
from custdb.storage._pending import diff
from custdb.storage._rollups import rebuild_rollups

__all__ = [
    "Exchange",
    "Settings",
    "SettingsTable",
    "adopt_base",
    "evolve_schema",
    "open_settings",
    "set_exchange",
]

BASE = "base_currency"
RATES = "rates"
_SCHEMA = "schema:"
_HOW_TO_EVOLVE = "store.evolve_schema(schema) adds fields and enum options"

Stored = dict[str, tuple[Any, int]]  # name -> (JSON value, version)


class SettingsTable(Protocol):
    """The settings rows inside one transaction."""

    def read(self) -> Stored: ...
    # False: the row's version is no longer ``based_on`` (None: the row must be new)
    def write(self, name: str, value: Any, based_on: int | None, now: dt.datetime) -> bool: ...
    def order_currencies(self) -> set[str]: ...  # the currencies stored orders are in


@attrs.frozen
class Exchange:
    """The base currency (None until declared or adopted) and the rates of the others,
    base units per unit."""

    base: str | None = None
    rates: FrozenMap[str, Decimal] = attrs.field(factory=FrozenMap)


@attrs.frozen
class Settings:
    schemas: FrozenMap[str, Schema]
    exchange: Exchange


def open_settings(
    unit: Any,
    schemas: Iterable[Schema],
    base_currency: str | None,
    rates: Mapping[str, Any] | None,
) -> Settings:
    """The settings the store works with: the stored ones, with what was given and the
    base lacks added; ``ConflictError`` where the given contradicts the stored."""
    table: SettingsTable = unit.backend.settings()
    stored = table.read()
    kept = _stored_schemas(stored)
    for schema in schemas:
        if schema.entity in kept:
            _refuse_conflict(kept[schema.entity], schema)
        else:
            _write(unit, table, _SCHEMA + schema.entity, schema.to_json(), None)
            kept[schema.entity] = schema
    exchange = _open_exchange(unit, table, stored, base_currency, rates)
    return Settings(FrozenMap(kept), exchange)


def evolve_schema(unit: Any, schema: Schema) -> Schema:
    """Store ``schema`` as the next version of its entity's: every change from the
    stored one must keep stored records valid (``ValidationError`` saying why not)."""
    table: SettingsTable = unit.backend.settings()
    name = _SCHEMA + schema.entity
    found = table.read().get(name)
    if found is None:
        _write(unit, table, name, schema.to_json(), None)
        return schema
    old = Schema.from_json(found[0])
    changes = compare_schemas(old, schema)
    for change in changes:
        if not change.compatible:
            raise ValidationError(
                f"cannot evolve the stored schema: {change.what}",
                entity=schema.entity,
                field=change.field,
                hint="a schema may gain fields and enum options, relax required or unique, "
                "and relabel; keep the stored fields and their types",
            )
    if changes:
        _write(unit, table, name, schema.to_json(), found)
    return schema


def set_exchange(unit: Any, base_currency: str | None, rates: Mapping[str, Any] | None) -> Exchange:
    """Declare the base currency (if the base has none) and replace the rates, as
    ``open_store`` does with its own; the roll-ups that move are recomputed."""
    table: SettingsTable = unit.backend.settings()
    return _open_exchange(unit, table, table.read(), base_currency, rates)


def adopt_base(unit: Any, currency: str) -> Exchange:
    """The exchange once a first order in ``currency`` is written to a base with no base
    currency: the one another transaction stored meanwhile, or else ``currency``."""
    table: SettingsTable = unit.backend.settings()
    stored = table.read()
    if BASE not in stored:
        if _write(unit, table, BASE, currency, None, refuse=False):
            exchange: Exchange = unit.exchange
            return attrs.evolve(exchange, base=currency)
        stored = table.read()
    return _exchange(stored)


# --- reconciling what open_store was given ---------------------------------------------


def _stored_schemas(stored: Stored) -> dict[str, Schema]:
    return {
        name.removeprefix(_SCHEMA): Schema.from_json(value)
        for name, (value, _) in stored.items()
        if name.startswith(_SCHEMA)
    }


def _refuse_conflict(stored: Schema, given: Schema) -> None:
    changes = compare_schemas(stored, given)
    if changes:
        raise ConflictError(
            "the schema given differs from the one stored in the base: "
            + "; ".join(f"{change.field} {change.what}" for change in changes),
            entity=given.entity,
            field=changes[0].field,
            hint="open the base without schemas= to use the stored schema, or change it "
            f"first: {_HOW_TO_EVOLVE}",
        )


def _exchange(stored: Stored) -> Exchange:
    base = stored.get(BASE, (None, 0))[0]
    rates = stored.get(RATES, ({}, 0))[0]
    return Exchange(base, FrozenMap({code: Decimal(rate) for code, rate in rates.items()}))


def _open_exchange(
    unit: Any,
    table: SettingsTable,
    stored: Stored,
    base_currency: str | None,
    rates: Mapping[str, Any] | None,
) -> Exchange:
    """The stored exchange with the given base and rates in it (both checked, both
    written when new or, for rates, changed), and roll-ups redone where they move."""
    old = _exchange(stored)
    base = old.base
    if base_currency is not None:
        given = _currency_code(base_currency, BASE)
        if base is not None and given != base:
            raise ConflictError(
                f"the base keeps its money in {base}, not {given}",
                field=BASE,
                value=base_currency,
                hint=f"open it without base_currency= (or with {base!r}); a base currency "
                "is chosen once, when the base is made",
            )
        base = given
    new_rates = old.rates if rates is None else _check_rates(rates, base)
    if base is None or base != old.base or new_rates != old.rates:
        base = _check_orders(table, base, new_rates)
    if base is None and new_rates:
        raise ValidationError(
            "rates need a base currency to convert to, and the base has none yet",
            field=BASE,
            value=dict(new_rates),
            hint="give base_currency= with the rates",
        )
    unit.exchange = exchange = Exchange(base, new_rates)
    if base is not None and base != old.base:
        _write(unit, table, BASE, base, None)
    if new_rates != old.rates:
        _write(unit, table, RATES, _rates_json(new_rates), stored.get(RATES))
    if old.base is None and base is not None:
        rebuild_rollups(unit)  # a base upgraded to the base currency: every sum is new
    elif new_rates != old.rates:
        moved = {
            code for code in {*old.rates, *new_rates} if old.rates.get(code) != new_rates.get(code)
        }
        unit.touched("orders", unit.orders.select(F("currency").is_in(sorted(moved))))
    return exchange


def _check_orders(
    table: SettingsTable, base: str | None, rates: Mapping[str, Decimal]
) -> str | None:
    """The base currency (the one of the stored orders when none is set) once every
    stored order's currency is the base or has a rate."""
    found = table.order_currencies()
    if base is None and len(found) > 1:
        raise ValidationError(
            f"the base holds orders in several currencies ({', '.join(sorted(found))}) "
            "and has no base currency",
            field=BASE,
            hint="open it with base_currency= (the one total spent is counted in) and "
            "rates= for the others, e.g. rates={'EUR': Decimal('98.5')}",
        )
    if base is None:
        return next(iter(found), None)
    missing = sorted(found - {base} - set(rates))
    if missing:
        raise ValidationError(
            f"the base holds orders in {', '.join(missing)}, with no rate to {base}",
            field=RATES,
            value=dict(rates),
            hint=f"give rates= with {', '.join(missing)} ({base} per unit)",
        )
    return base


def _currency_code(value: Any, field: str) -> str:
    code = to_currency(value)
    if code not in CURRENCIES:
        raise ValidationError(
            "not an ISO 4217 currency code",
            field=field,
            value=value,
            hint="give a three-letter code such as EUR, NOK, RUB, CNY",
        )
    return code


def _check_rates(rates: Mapping[str, Any], base: str | None) -> FrozenMap[str, Decimal]:
    """``rates`` as currency code to a positive ``Decimal``, the base left out of them."""
    if not isinstance(rates, Mapping):
        raise ValidationError(
            "must map currency codes to rates",
            field=RATES,
            value=rates,
            hint="give e.g. rates={'EUR': Decimal('98.5')}: base units per unit",
        )
    checked: dict[str, Decimal] = {}
    for code, rate in rates.items():
        currency = _currency_code(code, RATES)
        try:
            number = to_decimal(rate)
        except ValidationError:
            number = Decimal("NaN")
        if not number.is_finite() or number <= 0:
            raise ValidationError(
                f"the rate of {currency} must be a positive number",
                field=RATES,
                value=rate,
                hint="give how many base units one unit is worth, e.g. Decimal('98.5')",
            )
        if currency == base:
            raise ValidationError(
                f"{currency} is the base currency and takes no rate",
                field=RATES,
                value=dict(rates),
                hint=f"leave {currency} out of rates=",
            )
        checked[currency] = number
    return FrozenMap({code: checked[code] for code in sorted(checked)})


def _rates_json(rates: Mapping[str, Decimal]) -> dict[str, str]:
    return {code: str(rate) for code, rate in rates.items()}


def _write(
    unit: Any,
    table: SettingsTable,
    name: str,
    value: Any,
    found: tuple[Any, int] | None,
    *,
    refuse: bool = True,
) -> bool:
    """Write one setting over the ``found`` (value, version), and log it."""
    based_on = None if found is None else found[1]
    if not table.write(name, value, based_on, unit.now()):
        if not refuse:
            return False
        raise StaleVersionError(
            "was changed by another transaction at the same time",
            entity="setting",
            id=name,
            hint="nothing was written; open the store again and retry",
        )
    if found is None:
        unit.record("setting", name, "add", {}, {"value": value})
    else:
        before, after = diff({"value": found[0]}, {"value": value})
        unit.record("setting", name, "put", before, after)
    return True
