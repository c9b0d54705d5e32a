"""custdb.normalize._name_keys: which spellings meet under one key and which stay apart (D1)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custdb.normalize._name_keys import company_key, fold, person_part

MEET = [
    ("Юлия", "Yulia", "Yuliya", "Iuliia", "Julia", "Julija"),
    ("Дмитрий", "Dmitriy", "Dmitrii", "Dmitry"),
    ("Алексей", "Aleksei", "Aleksey", "Alexey"),
    ("Наталья", "Natalya", "Natalia", "Natalja", "Nataliya"),
    ("Сергей", "Sergey", "Sergei"),
    ("Юрий", "Yuri", "Yury", "Iurii", "Jurij"),
    ("Мария", "Maria", "Mariya"),
    ("Татьяна", "Tatiana", "Tatyana", "Tatjana"),
    ("Ксения", "Ksenia", "Kseniya", "Xenia"),
    ("Евгений", "Yevgeny", "Evgeny", "Evgenii", "Jewgeni"),
    ("Елена", "Yelena", "Elena", "Jelena"),
    ("Людмила", "Lyudmila", "Liudmila", "Ludmila"),
    ("Михаил", "Mikhail", "Mihail"),
    ("Сергеев", "Sergeev", "Sergeyev"),
    ("Васильев", "Vasilyev", "Vasiliev", "Vasilev"),
    ("Щукин", "Shchukin", "Schukin"),
    ("Чайковский", "Chaykovskiy", "Tchaikovsky", "Tschaikowski"),
    ("Bjørn", "Bjorn", "BJØRN"),
    ("Håkon", "Haakon", "Hakon"),
    ("José", "Jose", "JOSE"),
    ("Muñoz", "Munoz"),
    ("Müller", "Mueller", "Muller"),
    ("Jürgen", "Juergen", "Jurgen"),
    ("O'Reilly", "O’Reilly", "OReilly"),
    ("Anne-Marie", "Anne Marie", "Annemarie"),
    ("Jose\u0301", "José"),  # decomposed and composed accents
]

APART = [
    ("Ivan", "Ivanna"),
    ("Petrov", "Petrova"),  # gendered surname forms: a couple, not one person
    ("Anna", "Ana"),  # doubled letters are kept: different names in es and no
    ("Maria", "Marina"),
    ("Alexander", "Alexandra"),
    ("Yulia", "Yuliana"),
    ("Uliana", "Yuliana"),
    ("Sergey", "Sergio"),
    ("Mario", "Marie"),
]


@pytest.mark.parametrize("spellings", MEET, ids=lambda s: s[1])
def test_d1_person_spellings_meet(spellings: tuple[str, ...]) -> None:
    assert len({person_part(s) for s in spellings}) == 1


@pytest.mark.parametrize(("one", "other"), APART)
def test_d1_different_names_stay_apart(one: str, other: str) -> None:
    assert person_part(one) != person_part(other)


@pytest.mark.parametrize(
    ("names", "key"),
    [
        (["IBM", "I.B.M", "I BM", "I-B-M", "IBM Corp.", "I.B.M. Corporation"], "ibm"),
        (["ООО «Ромашка»", "Romashka LLC", 'ООО "Ромашка"', "Ромашка, ООО"], "romashka"),
        (["Общество с ограниченной ответственностью «Ромашка»", "ЗАО Ромашка"], "romashka"),
        (["Siemens AG", "SIEMENS", "Siemens Aktiengesellschaft"], "semens"),
        (["Telenor ASA", "Telenor AS", "AS Telenor"], "telenor"),
        (["Banco Santander, S.A.", "Banco Santander SA"], "bancosantander"),
        (["Mercadona S.A.U.", "Mercadona"], "mercadona"),
        (
            [
                "Müller GmbH & Co. KG",
                "Mueller GmbH",
                "Müller Gesellschaft mit beschränkter Haftung",
            ],
            "muller",
        ),
        (["Smith & Co., Ltd.", "Smith Limited"], "smith"),
        (["„Brot & Butter“ e.V.", "Brot & Butter"], "brotbutter"),
    ],
)
def test_d1_company_spellings_meet(names: list[str], key: str) -> None:
    assert {company_key(n) for n in names} == {key}


def test_d1_company_named_only_by_a_legal_form_keeps_it() -> None:
    assert company_key("AS") == "as"
    assert company_key("ООО") == "ooo"
    assert company_key("S.A.") == "sa"


def test_d1_leading_co_is_part_of_the_name() -> None:
    assert company_key("Co-op Bank") == "coopbank"


def test_d1_company_digits_stay() -> None:
    assert company_key("3M Company") == "3m"
    assert company_key("7-Eleven, Inc.") == "7eleven"


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", max_size=30))
def test_d1_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)
