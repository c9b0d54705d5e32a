"""The store verbs over what a base keeps about itself (``_settings``), written once
for every store: each store class mixes :class:`SettingsVerbs` in and provides
``begin``. Opening reconciles what ``open_store`` was given with the stored settings;
a transaction that adopts a base currency hands it back to the store (``begin``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

from custdb.model.schema import Schema
from custdb.storage._settings import Exchange, evolve_schema, open_settings

__all__ = ["SettingsVerbs"]


class SettingsVerbs:
    schemas: dict[str, Schema]
    _exchange: Exchange

    def begin(
        self, *, actor: str | None = None, cause: str | None = None
    ) -> AbstractContextManager[Any]:
        raise NotImplementedError  # every store has its own

    def _open_settings(
        self,
        schemas: Iterable[Schema],
        base_currency: str | None,
        rates: Mapping[str, Any] | None,
    ) -> None:
        """Load the stored settings, adding what was given and the base lacks (refused
        where it contradicts the base): the last step of opening a store."""
        self.schemas, self._exchange = {}, Exchange()
        with self.begin(cause="open_store") as unit:
            settings = open_settings(unit, schemas, base_currency, rates)
        self.schemas = dict(settings.schemas)

    @property
    def base_currency(self) -> str | None:
        """The currency ``total_spent`` is counted in; None until declared or adopted."""
        return self._exchange.base

    @property
    def rates(self) -> Mapping[str, Decimal]:
        """Base units per unit of each other currency orders may be in."""
        return self._exchange.rates

    def set_rates(
        self,
        rates: Mapping[str, Any],
        *,
        base_currency: str | None = None,
        actor: str | None = None,
    ) -> None:
        """Replace the rates (and declare ``base_currency`` if the base has none yet);
        the clients whose totals move are recomputed, the change logged."""
        with self.begin(actor=actor, cause="set_rates") as unit:
            unit.set_rates(rates, base_currency=base_currency)

    def evolve_schema(self, schema: Schema, *, actor: str | None = None) -> Schema:
        """Store ``schema`` as its entity's next schema version (fields and enum options
        added, see ``compare_schemas``) and use it from now on; logged as a change."""
        with self.begin(actor=actor, cause="evolve_schema") as unit:
            evolved = evolve_schema(unit, schema)
        self.schemas = {**self.schemas, evolved.entity: evolved}
        return evolved
