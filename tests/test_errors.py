"""The error tree: builtin bases, attributes, messages that say where and what to do."""

from __future__ import annotations

import pickle

import pytest

from custdb import errors


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (errors.ValidationError, ValueError),
        (errors.QueryError, ValueError),
        (errors.NotFoundError, LookupError),
        (errors.AccessDeniedError, PermissionError),
        (errors.MissingDependencyError, ImportError),
    ],
)
def test_each_error_is_also_its_builtin(error: type[errors.CustdbError], builtin: type) -> None:
    assert issubclass(error, errors.CustdbError)
    assert issubclass(error, builtin)


def test_conflicts_share_a_parent() -> None:
    assert issubclass(errors.StaleVersionError, errors.ConflictError)
    assert issubclass(errors.DuplicateKeyError, errors.ConflictError)
    assert issubclass(errors.SchemaVersionError, errors.StoreError)


def test_message_names_row_entity_id_field_value_and_hint() -> None:
    error = errors.ValidationError(
        "is not a date",
        entity="contact",
        id="01J",
        row=7,
        field="birthday",
        value="31.02.1990",
        hint="use dd.mm.yyyy",
    )
    assert str(error) == (
        "row 7, contact 01J, field 'birthday': value '31.02.1990': is not a date; use dd.mm.yyyy"
    )
    assert (error.entity, error.id, error.row, error.field) == ("contact", "01J", 7, "birthday")


def test_message_without_context_is_just_the_reason() -> None:
    assert str(errors.NotFoundError("no such record")) == "no such record"


def test_huge_values_are_cut_short_in_the_message() -> None:
    error = errors.ValidationError("too long", value="x" * 10_000)
    assert len(str(error)) < 200
    assert error.value == "x" * 10_000


def test_errors_survive_pickling_with_their_attributes() -> None:
    error = errors.StaleVersionError("changed since read", entity="deal", id="D1", value=3)
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert type(copy) is errors.StaleVersionError
    assert str(copy) == str(error)
    assert (copy.entity, copy.id, copy.value) == ("deal", "D1", 3)


def test_missing_dependency_names_the_install_command() -> None:
    error = errors.MissingDependencyError.for_extra("psycopg", "postgres")
    assert 'pip install "custdb[postgres]"' in str(error)


def test_format_error_is_a_validation_error_that_names_file_line_and_byte() -> None:
    """I1: a file that cannot be read names where: the file, the line and the byte."""
    error = errors.FormatError(
        "the byte 0x98 is not text", source="a.csv", line=3, offset=17, hint="save as UTF-8"
    )
    assert isinstance(error, errors.ValidationError)
    assert isinstance(error, ValueError)
    assert str(error) == "a.csv, line 3, byte 17: the byte 0x98 is not text; save as UTF-8"
    assert (error.source, error.line, error.offset, error.row) == ("a.csv", 3, 17, None)
    assert str(errors.FormatError("empty", source="b.csv")) == "b.csv: empty"


def test_format_error_survives_pickling_with_where_it_happened() -> None:
    error = errors.FormatError("bad", source="a.csv", line=3, offset=17, value="x")
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert type(copy) is errors.FormatError
    assert str(copy) == str(error)
    assert (copy.source, copy.line, copy.offset, copy.value) == ("a.csv", 3, 17, "x")


def test_the_tree_in_the_docstring_lists_every_error() -> None:
    for name in errors.__all__:
        assert name in (errors.__doc__ or "")
