"""Benchmark of custdb.normalize against the plain library loops (D1; the speed goal).

Run: ``python benchmarks/normalize.py``. It generates 100 000 mostly distinct phone
numbers (Russian, US, Spanish, Norwegian and German forms, valid and not), 100 000
e-mail addresses and 100 000 person names, times ``custdb.normalize`` against the
plain ``phonenumbers`` and ``email_validator`` loops in the same run, then checks that
both gave the same answer on every value. ``tests/test_normalize.py`` imports the
generators below and makes the same check part of the test suite.

Two readings of ours are deliberate extensions of the library's and the generators
avoid them: a leading ``00`` is read as ``+`` when no region is given or the region
dials abroad with another prefix (US 011, RU 810), and the text may have spaces around
an e-mail address.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from collections.abc import Callable, Iterable
from importlib.metadata import version

import email_validator
import phonenumbers

from custdb import normalize
from custdb.errors import ValidationError

SEED = 20261123
SIZE = 100_000
PhoneValue = tuple[str, str | None]

# (dialling region, number's region, national significant number prefix, NSN length)
_PHONE_PLANS = (
    *[("RU", "RU", p, 10) for p in ("912", "916", "903", "926", "985", "495", "812", "343")],
    ("RU", "RU", "800", 10),
    *[("RU", "KZ", p, 10) for p in ("701", "705", "777", "7172")],
    *[("US", "US", p, 10) for p in ("2125", "4155", "3128", "6175", "2026", "7137", "3056")],
    *[("US", "CA", p, 10) for p in ("4162", "6045", "5148")],
    *[("ES", "ES", p, 9) for p in ("6", "7", "91", "93", "95", "96")],
    *[("NO", "NO", p, 8) for p in ("4", "9", "22", "55", "73")],
    ("NO", "SJ", "79", 8),
    *[("DE", "DE", p, 11) for p in ("151", "152", "160", "170", "171", "176")],
    *[("DE", "DE", p, 10) for p in ("30", "89", "40", "69", "221", "211")],
)
_SEPARATORS = (" ", " ", "-", ".", "", " - ")
_EXTENSIONS = (" ext. {}", " x{}", " доб. {}", ", ext {}", " #{}")
_GARBAGE = ("n/a", "-", "tel", "нет", "+", "0", "123", "call me", "+7", "8 800", "+0 123 456 789")


def _nsn(rng: random.Random, prefix: str, length: int) -> str:
    return prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix)))


def _messy(rng: random.Random, digits: str) -> str:
    """Digits in groups of 2-4 with one separator picked for the whole number."""
    separator = rng.choice(_SEPARATORS)
    groups, rest = [], digits
    while rest:
        size = rng.randint(2, 4)
        groups.append(rest[:size])
        rest = rest[size:]
    return separator.join(groups)


def _phone_text(
    rng: random.Random, number: phonenumbers.PhoneNumber, dialled_from: str
) -> PhoneValue:
    """One written form of a number and the region a caller would pass with it."""
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    national = phonenumbers.national_significant_number(number)
    trunk = {"RU": "8", "DE": "0", "US": "1"}.get(dialled_from, "")
    form = rng.random()
    if form < 0.2:
        return e164, rng.choice((None, dialled_from, "RU", "US"))
    if form < 0.4:
        intl = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        return intl, rng.choice((None, dialled_from))
    if form < 0.6:
        return phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.NATIONAL
        ), dialled_from
    if form < 0.8:
        return _messy(rng, rng.choice((trunk, "")) + national), dialled_from
    if form < 0.9 and dialled_from in {"ES", "NO", "DE"}:
        return f"00 {number.country_code} {_messy(rng, national)}", dialled_from
    return f"+{number.country_code} ({national[:3]}) {_messy(rng, national[3:])}", None


def _broken(rng: random.Random, text: str) -> str:
    """A typo: a digit dropped or doubled, or a text that is no number at all."""
    where = rng.randrange(len(text))
    choice = rng.random()
    if choice < 0.4:
        return text[:where] + text[where + 1 :]
    if choice < 0.8:
        return text[:where] + text[where] + text[where:]
    return rng.choice(_GARBAGE)


def phone_values(size: int = SIZE, seed: int = SEED) -> list[PhoneValue]:
    """Phone texts with the region a caller would pass: ~85 % well formed, some typos."""
    rng = random.Random(seed)
    values = []
    for _ in range(size):
        dialled_from, region, prefix, length = rng.choice(_PHONE_PLANS)
        code = phonenumbers.country_code_for_region(region)
        number = phonenumbers.parse(f"+{code}{_nsn(rng, prefix, length)}")
        text, passed = _phone_text(rng, number, dialled_from)
        chance = rng.random()
        if chance < 0.1:
            text = _broken(rng, text)
        elif chance < 0.13:
            text += rng.choice(_EXTENSIONS).format(rng.randint(1, 9999))
        values.append((text, passed))
    return values


_FIRST = ("ivan", "yulia", "dmitry", "olga", "sergey", "anna", "lars", "ingrid", "bjorn", "kari")
_FIRST += (
    "jose",
    "maria",
    "carmen",
    "pablo",
    "lukas",
    "anna-lena",
    "jurgen",
    "john",
    "mary",
    "o'neil",
)
_LAST = ("petrov", "ivanova", "smirnov", "hansen", "johansen", "olsen", "garcia", "martinez")
_LAST += ("lopez", "muller", "schmidt", "schneider", "smith", "johnson", "brown", "kuznetsov")
_DOMAINS = ("gmail.com", "mail.ru", "yandex.ru", "outlook.com", "online.no", "telefonica.es")
_DOMAINS += ("web.de", "GMX.de", "Example.COM", "corp.example.org", "romashka.ru", "firma.de")
_TLDS = ("com", "ru", "no", "es", "de", "net", "org", "io", "co.uk", "com.es")
_IDN = (
    "bücher.de",
    "почта.рф",
    "mañana.es",
    "blåbær.no",
    "xn--bcher-kva.de",
    "xn--80a1acny.xn--p1ai",
)
_BAD_EMAILS = (
    "no-at-sign.example.com", "a..b@example.com", ".a@example.com", "a.@example.com",
    "a b@example.com", "a@b", "a@example.local", "a@example.test", "a@localhost",
    "a@-example.com", "a@example-.com", "a@example.123", '"john doe"@example.com',
    "John <john@example.com>", "a@ab--cd.com", "a@xn--zz.com", "a@@example.com", "",
    "юлия@почта", "a@exa_mple.com", "a@example..com",
)  # fmt: skip
_ROLES = ("Info", "SUPPORT", "Sales", "postmaster", "Webmaster")


def _local(rng: random.Random) -> str:
    first, last = rng.choice(_FIRST).replace("'", ""), rng.choice(_LAST)
    n = rng.randint(1, 99_999)
    form = rng.randrange(6)
    local = (
        f"{first}.{last}",
        f"{first[0]}.{last}{n}",
        f"{first}{last}+{rng.choice(('news', 'crm', 'x'))}{n}",
        f"{first}_{last}{n}",
        f"{last}-{first}.{n}",
        f"{first}{n}",
    )[form]
    return local.title() if rng.random() < 0.15 else local


def email_values(size: int = SIZE, seed: int = SEED) -> list[str]:
    """E-mail addresses: mostly plain ASCII, with IDN, Unicode, role names and bad ones."""
    rng = random.Random(seed)
    values = []
    for _ in range(size):
        kind = rng.random()
        if kind < 0.05:
            values.append(f"{_local(rng)}@{rng.choice(_IDN)}")
        elif kind < 0.07:
            values.append(
                rng.choice(("юлия", "josé", "jürgen", "bjørn"))
                + f"{rng.randint(1, 999)}@{rng.choice(_IDN)}"
            )
        elif kind < 0.09:
            values.append(f"{rng.choice(_ROLES)}@{rng.choice(_DOMAINS)}")
        elif kind < 0.14:
            values.append(rng.choice(_BAD_EMAILS))
        elif kind < 0.15:
            values.append("x" * rng.randint(60, 80) + f"@{rng.choice(_DOMAINS)}")
        elif kind < 0.55:
            values.append(f"{_local(rng)}@{rng.choice(_DOMAINS)}")
        else:
            company = f"{rng.choice(_LAST)}{rng.randint(1, 9999)}.{rng.choice(_TLDS)}"
            values.append(f"{_local(rng)}@{company.upper() if rng.random() < 0.1 else company}")
    return values


_NAMES = (
    ("Юлия", "Петрова"), ("Дмитрий", "Смирнов"), ("Наталья", "Кузнецова"), ("Алексей", "Иванов"),
    ("Yulia", "Petrova"), ("Iuliia", "Petrova"), ("Dmitriy", "Smirnov"), ("Natalia", "Kuznetsova"),
    ("Bjørn", "Hansen"), ("Åse", "Johansen"), ("Øystein", "Olsen"), ("Kari", "Nordmann"),
    ("José", "García"), ("María", "Muñoz"), ("Carmen", "López"), ("Pablo", "Martínez"),
    ("Jürgen", "Müller"), ("Anna-Lena", "Schneider"), ("Lukas", "Schmidt"), ("Sean", "O'Neil"),
)  # fmt: skip


def name_values(size: int = SIZE, seed: int = SEED) -> list[tuple[str, str]]:
    """(first, last) pairs in five languages, with case, spacing and numbering noise."""
    rng = random.Random(seed)
    values = []
    for i in range(size):
        first, last = rng.choice(_NAMES)
        if rng.random() < 0.3:
            first, last = first.upper(), f"  {last.lower()} "
        values.append((first, f"{last} {i}" if rng.random() < 0.5 else last))
    return values


def library_phone(text: str, region: str | None) -> str | None:
    """The plain loop body: phonenumbers' E.164 of a valid number, else None."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    e164: str = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164


def library_email(text: str) -> str | None:
    try:
        normalized: str = email_validator.validate_email(
            text, check_deliverability=False
        ).normalized
    except email_validator.EmailNotValidError:
        return None
    return normalized


def ours_phone(text: str, region: str | None) -> str | None:
    try:
        return normalize.phone(text, region)
    except ValidationError:
        return None


def ours_email(text: str) -> str | None:
    try:
        return normalize.email(text)
    except ValidationError:
        return None


def _seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _rates(runs: list[Callable[[], object]], size: int, repeats: int) -> list[float]:
    """Values per second of each run, best of ``repeats``; the runs take turns, so a
    busy moment on the machine slows all of them rather than one."""
    best = [float("inf")] * len(runs)
    for _ in range(repeats):
        best = [min(b, _seconds(run)) for b, run in zip(best, runs, strict=True)]
    return [size / b for b in best]


def _loop(
    function: Callable[..., object], values: Iterable[tuple[object, ...]]
) -> Callable[[], None]:
    def run() -> None:
        for value in values:
            function(*value)

    return run


def _compare(label: str, ours: float, theirs: float, *, same: bool) -> None:
    print(
        f"{label:<8} custdb {ours:>10,.0f}/s   library loop {theirs:>9,.0f}/s   "
        f"ratio {ours / theirs:5.2f}x   identical results: {'yes' if same else 'NO'}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=SIZE)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    machine = platform.processor() or platform.machine()
    print(f"{machine}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"phonenumbers {version('phonenumbers')}, email-validator {version('email-validator')}")

    phones = phone_values(args.size)
    emails = [(e,) for e in email_values(args.size)]
    names = name_values(args.size)
    for label, ours, theirs, values in (
        ("phones", ours_phone, library_phone, phones),
        ("e-mails", ours_email, library_email, emails),
    ):
        rate_ours, rate_theirs = _rates(
            [_loop(ours, values), _loop(theirs, values)], len(values), args.repeats
        )
        same = all(ours(*v) == theirs(*v) for v in values)
        _compare(label, rate_ours, rate_theirs, same=same)
    valid = sum(library_phone(*v) is not None for v in phones)
    print(f"valid phones {valid / len(phones):.0%}, distinct {len(set(phones)) / len(phones):.0%}")
    for label, function in (
        ("person_key", normalize.person_key),
        (
            "person_name",
            lambda first, last: (normalize.person_name(first), normalize.person_name(last)),
        ),
        ("company_key", lambda first, last: normalize.company_key(f"{last} {first} LLC")),
    ):
        (rate,) = _rates([_loop(function, names)], len(names), args.repeats)
        print(f"{label:<12} {rate:>10,.0f} names/s")


if __name__ == "__main__":
    main()
