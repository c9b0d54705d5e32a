"""The generated schema (Foundation IV item 1): every index SQLite keeps serves a query
the store compiles, so none is written on every insert for nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from custdb.query import F, bind, fields_for, order_by
from custdb.query.case import folds, key_column
from custdb.storage._compile import compile_order, compile_where, where_values
from custdb.storage._dialect import SQLITE
from custdb.storage._log import ChangeFilter
from custdb.storage._sql_log import select_changes
from custdb.storage._tables import EXTERNAL_IDS, TABLES
from custdb.storage.base import ENTITIES
from custdb.storage.sqlite import SQLiteStore

_INDEXES = [
    (name, index.name)
    for name, table in TABLES.items()
    for index in table.indexes
    if not index.dialect_options["postgresql"]["using"]  # GIN: PostgreSQL only
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = Path(tmp_path_factory.mktemp("tables")) / "custdb.sqlite"
    store = SQLiteStore.from_url(f"sqlite:///{path}")
    yield store.engine
    store.close()


def _plan(engine: Any, statement: Any, values: dict[str, Any]) -> str:
    compiled = statement.compile(dialect=engine.dialect)
    params = compiled.construct_params(values)
    positional = tuple(params[name] for name in compiled.positiontup or ())
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled.string}", positional)
        return "\n".join(str(row[-1]) for row in rows)


def _query_on(name: str, column: str) -> tuple[Any, dict[str, Any]]:
    """A query the store compiles that reads ``column``: equality on a folded key, an
    order by the spelling of a folded field, an emptiness test on any other field."""
    entity, table = ENTITIES[name], TABLES[name]
    info = next(i for i in fields_for(entity).values() if column in (i.column, key_column(i)))
    if folds(info) and column == info.column:  # the spelling: what sorting reads
        keys = order_by(info.name, entity)
        statement = sa.select(table.c.id).order_by(*compile_order(keys, table, SQLITE))
        return statement.limit(5), {}
    bound = bind(F(info.name) == "x" if folds(info) else F(info.name).is_null(), entity)
    where = compile_where(bound, table, SQLITE)
    return sa.select(table.c.id).where(where), where_values(bound, SQLITE)


@pytest.mark.parametrize(("name", "index"), _INDEXES, ids=[i for _, i in _INDEXES])
def test_every_entity_index_serves_a_compiled_query(engine: Any, name: str, index: Any) -> None:
    """Foundation IV item 1: EXPLAIN QUERY PLAN of a query the compiler makes on the
    indexed field names the index."""
    (column,) = next(i for i in TABLES[name].indexes if i.name == index).columns
    statement, values = _query_on(name, column.name)
    plan = _plan(engine, statement, values)
    assert index in plan, plan


def test_the_side_tables_indexes_serve_the_stores_lookups(engine: Any) -> None:
    """Foundation IV item 1: history by record (the change log's ``(entity, record_id)``)
    and the external ids of a record (unlinked on every put and removal)."""
    wanted = ChangeFilter(entity="contact", record_id="c-1")
    assert "ix_changes_record" in _plan(engine, select_changes(0, None, wanted), {})
    link = EXTERNAL_IDS.c
    unlink = EXTERNAL_IDS.delete().where(link.entity == "contact", link.record_id == "c-1")
    assert "ix_external_ids_record" in _plan(engine, unlink, {})
