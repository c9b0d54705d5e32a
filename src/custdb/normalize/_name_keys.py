"""Name folding behind :func:`custdb.normalize.person_key` and ``company_key``.

A key is the name reduced to what survives every way people write it: Unicode forms,
case, accents, Cyrillic or Latin script and the competing transliteration systems
(Юлия: Yuliya, Yulia, Iuliia, Julia, Julija). Text goes through NFC and anyascii
(any script to ASCII), then :data:`_FOLDS` merges the spellings those systems disagree
on. Folding runs to a fixed point, so a key folds to itself.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from anyascii import anyascii

__all__ = ["company_key", "fold", "person_part"]

_FOLDS = (
    ("tsch", "ch"),  # Ч in German (Tschaikowski) and French (Tchaikovski) spelling
    ("shch", "sh"),  # Щ: shch, sch, shh all become the Ш sound class
    ("sch", "sh"),
    ("shh", "sh"),
    ("tch", "ch"),
    ("kh", "h"),  # Х: Mikhail, Mihail
    ("ph", "f"),  # Sofia, Sophia
    ("tz", "ts"),  # Ц: ts, tz
    ("x", "ks"),  # Alexey, Aleksey
    ("w", "v"),  # German spellings: Wladimir, Tschaikowski
    ("ae", "a"),  # ä, ö, ü written ae, oe, ue: Mueller, Müller, Muller
    ("oe", "o"),
    ("ue", "u"),
    ("aa", "a"),  # Norwegian aa for å: Haakon, Håkon
    ("j", "i"),  # Й, Ю, Я, Ы, Ь: y, j or i by system (Yulia, Julija, Iuliia)
    ("y", "i"),
)
_SOFT_E = re.compile("i+e")  # Yelena, Elena; Sergeyev, Sergeev; Vasilyev, Vasilev
_I_RUN = re.compile("i{2,}")  # Iuliia, Yulia; Dmitrii, Dmitriy, Dmitry
_SOFT_U = re.compile("(?<=[bcdfghklmnpqrstvz])iu")  # Lyudmila, Liudmila, Ludmila
_NOT_LETTER = re.compile("[^a-z]+")
_APOSTROPHES = re.compile("['`]")
_NOT_ALNUM = re.compile("[^a-z0-9]+")

# Legal forms stripped from either end of a company name (ru, en, de, es, no, and the
# few neighbours that show up in the same files). Written as people write them; they go
# through the same tokenizer as the names they are compared with.
_LEGAL_FORMS = (
    "ООО", "ОАО", "ЗАО", "АО", "ПАО", "НАО", "ИП", "НКО", "АНО", "ТОО", "ГУП", "МУП", "ФГУП",
    "Общество с ограниченной ответственностью", "Акционерное общество",
    "Публичное акционерное общество", "Индивидуальный предприниматель",
    "LLC", "L.L.C.", "Ltd", "Limited", "Inc", "Incorporated", "Corp", "Corporation",
    "Co", "Company", "PLC", "LLP", "LP", "Pty",
    "GmbH", "Gesellschaft mit beschränkter Haftung", "AG", "Aktiengesellschaft", "KG", "KGaA",
    "OHG", "GbR", "e.V.", "UG", "UG (haftungsbeschränkt)", "SE",
    "S.A.", "S.L.", "S.A.U.", "S.L.U.", "S.L.L.", "S.Coop.", "S.C.",
    "Sociedad Anónima", "Sociedad Limitada",
    "AS", "ASA", "ANS", "DA", "ENK", "NUF", "SA", "BA",
    "BV", "NV", "SARL", "SAS",
)  # fmt: skip
_TRAILING_ONLY = frozenset({("co",), ("company",)})  # Co-op Bank keeps its "co"


def _ascii(text: str) -> str:
    """Lower-case ASCII of any script: NFC first, so composed and decomposed forms agree."""
    return anyascii(unicodedata.normalize("NFC", text)).lower()


def fold(text: str) -> str:
    """Fold lower-case ASCII letters (and digits, kept as they are) to the key alphabet."""
    while True:
        folded = text
        for spelling, sound in _FOLDS:
            folded = folded.replace(spelling, sound)
        folded = _SOFT_U.sub("u", _I_RUN.sub("i", _SOFT_E.sub("e", folded)))
        if folded == text:
            return text
        text = folded


def person_part(name: str) -> str:
    """The key of one part of a person's name: letters only, folded."""
    return fold(_NOT_LETTER.sub("", _APOSTROPHES.sub("", _ascii(name))))


def _tokens(name: str) -> list[str]:
    """Words of a company name; runs of one-character words join (I.B.M, L.L.C., S.A.)."""
    tokens: list[str] = []
    run: list[str] = []  # one-character words so far, joined once the run ends
    for word in _NOT_ALNUM.split(_APOSTROPHES.sub("", _ascii(name))):
        if len(word) == 1:
            run.append(word)
        elif word:
            if run:
                tokens.append("".join(run))
                run = []
            tokens.append(word)
    if run:
        tokens.append("".join(run))
    return tokens


@functools.cache
def _legal_forms() -> tuple[frozenset[tuple[str, ...]], tuple[int, ...]]:
    """The legal forms as token tuples, and their sizes longest first (built on first use)."""
    forms = frozenset(tuple(_tokens(form)) for form in _LEGAL_FORMS)
    return forms, tuple(sorted({len(form) for form in forms}, reverse=True))


def _strip_legal_forms(tokens: list[str]) -> list[str]:
    """Drop legal forms from both ends, as long as some of the name remains.

    The ends move as two indices, so the work is linear in the number of words.
    """
    forms, sizes = _legal_forms()
    start, end = 0, len(tokens)
    while True:
        for size in sizes:
            if end - start <= size:
                continue
            if tuple(tokens[end - size : end]) in forms:
                end -= size
                break
            head = tuple(tokens[start : start + size])
            if head in forms and head not in _TRAILING_ONLY:
                start += size
                break
        else:
            return tokens[start:end]


def company_key(name: str) -> str:
    """Lower-case ASCII letters and digits of a company name without its legal forms."""
    return fold("".join(_strip_legal_forms(_tokens(name))))
