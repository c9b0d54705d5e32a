"""custdb.normalize._text and the bounds on names: text every store keeps, checked in
linear time (D1, I1; Foundation III items 14 and 17)."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custdb import normalize
from custdb.errors import ValidationError
from custdb.normalize import _name_keys
from custdb.normalize._text import text_fault, text_of

UNSTORABLE = ["a\x00b", "\x00", "x\ud800", "\udfff", "Ольга\udc80"]


@pytest.mark.parametrize("raw", UNSTORABLE)
@pytest.mark.parametrize(
    "call",
    [
        normalize.person_name,
        normalize.company_key,
        lambda raw: normalize.person_key(raw, "Olga"),
        normalize.email,
        normalize.phone,
        lambda raw: normalize.parse_date(raw, dayfirst=True),
        lambda raw: normalize.parse_decimal(raw, decimal_mark=","),
    ],
)
def test_d1_every_normalizer_refuses_nul_and_lone_surrogates(call: object, raw: str) -> None:
    """Foundation III item 17: NUL and lone surrogates are a ValidationError naming the
    value, never a value that a store would cut or refuse."""
    assert callable(call)
    with pytest.raises(ValidationError) as caught:
        call(raw)
    assert caught.value.value == raw


def test_d1_a_nul_is_refused_with_a_reason_and_a_hint() -> None:
    """Foundation III item 17: the message says what is wrong and what to do."""
    with pytest.raises(ValidationError) as caught:
        normalize.person_name("Olga\x00\x00\x00")
    assert "NUL" in caught.value.reason
    assert caught.value.hint is not None
    assert "remove" in caught.value.hint


def test_d1_a_lone_surrogate_is_refused_and_a_pair_is_text() -> None:
    """Foundation III item 16: half a UTF-16 pair is refused; a real astral character
    (an emoji) is text."""
    assert text_fault("Olga \U0001f600") is None
    fault = text_fault("Olga \ud83d")
    assert fault is not None
    assert "surrogate" in fault[0]


@given(st.text())
def test_d1_any_encodable_text_without_nul_passes(text: str) -> None:
    """Foundation III item 17: the check refuses only NUL (hypothesis text has no
    surrogates), so ordinary text of any script passes."""
    assert (text_fault(text) is None) == ("\x00" not in text)


def test_d1_text_of_states_the_length_limit() -> None:
    """Foundation III item 14: a limit is stated in the message."""
    with pytest.raises(ValidationError, match="1,001 characters long, more than the 1,000"):
        text_of("x" * 1_001, "a name", 1_000)


@pytest.mark.parametrize("call", [normalize.company_key, normalize.person_name])
def test_d1_a_megabyte_name_is_refused_at_once_with_the_limit(call: object) -> None:
    """Foundation III item 14: ``company_key("ООО " * 250_000)`` took 779 s; names are
    bounded (normalize.MAX_NAME_LENGTH) and the refusal is immediate."""
    assert callable(call)
    started = time.monotonic()
    with pytest.raises(ValidationError, match=f"{normalize.MAX_NAME_LENGTH:,} allowed"):
        call("ООО " * 250_000)
    assert time.monotonic() - started < 1


def test_d1_name_of_the_longest_allowed_length_has_a_key() -> None:
    """Foundation III item 14: the bound refuses only what is beyond it."""
    name = ("ООО Ромашка " * 100)[: normalize.MAX_NAME_LENGTH]
    assert normalize.company_key(name).startswith("romashka")


def test_d1_legal_form_stripping_is_linear_in_the_number_of_words() -> None:
    """Foundation III item 14: stripping legal forms was quadratic (each stripped form
    copied the rest of the words); 50,000 words took about 30 s, now well under one."""
    started = time.monotonic()
    assert _name_keys.company_key("ООО " * 50_000 + "Ромашка") == "romashka"
    assert _name_keys.company_key("b " * 50_000) == "b" * 50_000  # one run of letters
    assert time.monotonic() - started < 3


@given(st.lists(st.sampled_from(["ООО", "LLC", "I", "B", "M", "Co", "AS", "Bank", "x"])))
def test_d1_legal_forms_go_from_both_ends_as_before(words: list[str]) -> None:
    """Foundation III item 14: the linear stripping gives the keys the old loop gave."""
    assert _name_keys.company_key(" ".join(words)) == _reference_key(" ".join(words))


def _reference_key(name: str) -> str:
    """The quadratic implementation as it was: the specification of the result."""
    tokens: list[str] = []
    in_run = False
    for word in _name_keys._NOT_ALNUM.split(
        _name_keys._APOSTROPHES.sub("", _name_keys._ascii(name))
    ):
        if not word:
            continue
        if len(word) == 1 and in_run:
            tokens[-1] += word
        else:
            tokens.append(word)
            in_run = len(word) == 1
    forms, sizes = _name_keys._legal_forms()
    while True:
        for size in sizes:
            if len(tokens) > size and tuple(tokens[-size:]) in forms:
                tokens = tokens[:-size]
                break
            head = tuple(tokens[:size])
            if len(tokens) > size and head in forms and head not in _name_keys._TRAILING_ONLY:
                tokens = tokens[size:]
                break
        else:
            return _name_keys.fold("".join(tokens))
