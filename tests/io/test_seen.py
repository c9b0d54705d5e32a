"""``io._seen.FirstLines``: the first line of every key, the same before and after the
keys move to disk, so an import's memory stays flat however long the file (I3)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custdb.errors import ImportRefusedError
from custdb.io import _seen, importer
from custdb.io._seen import FirstLines
from custdb.io.importer import import_file

keys = st.one_of(st.text(max_size=3), st.tuples(st.text(max_size=2), st.integers(0, 3)))


@given(batches=st.lists(st.lists(keys, max_size=8), max_size=8), spill=st.integers(1, 6))
def test_the_first_lines_are_those_a_dict_would_keep(batches: list[list[Any]], spill: int) -> None:
    seen, model, line = FirstLines(spill=spill), {}, 1
    try:
        for batch in batches:
            pairs = []
            for key in batch:
                line += 1
                pairs.append((key, line))
            expected = {}
            for position, (key, at) in enumerate(pairs):
                first = model.setdefault(key, at)
                if first != at:
                    expected[position] = first
            assert seen.earlier(pairs) == expected
    finally:
        seen.close()


def test_equal_decimals_are_one_key_on_disk_too() -> None:
    seen = FirstLines(spill=1)
    try:
        assert seen.earlier([((Decimal("1.50"),), 2)]) == {}
        assert seen.earlier([((Decimal("1.5"),), 3)]) == {0: 2}
    finally:
        seen.close()


def test_a_key_repeated_after_the_keys_moved_to_disk_refuses_the_file(
    store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_seen, "SPILL", 10)
    monkeypatch.setattr(importer, "BATCH", 7)
    lines = ["Email,First Name"] + [f"u{i}@example.com,N{i}" for i in range(40)]
    lines.append("u3@example.com,Again")
    path = tmp_path / "k.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportRefusedError) as caught:
        import_file(store, path)
    assert (caught.value.row, caught.value.value) == (42, "u3@example.com")
    assert "line 5" in str(caught.value)
    with store.begin() as tx:
        assert tx.contacts.count() == 0
