"""custdb.normalize._date_forms: the edges of the Excel calendar and the month-name tables (I1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from custdb.normalize._date_forms import NotADateError, from_excel_serial, from_text

MONTHS = {
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "ru-nominative": "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "no": "januar februar mars april mai juni juli august september oktober november desember",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "en": "January February March April May June July August September October November December",
}


@pytest.mark.parametrize("language", MONTHS)
def test_i1_month_names_of_every_language_read_in_order(language: str) -> None:
    for number, name in enumerate(MONTHS[language].split(), start=1):
        assert from_text(f"1 {name} 2024", dayfirst=True) == dt.date(2024, number, 1)


def test_i1_excel_serials_cover_excels_calendar() -> None:
    assert from_excel_serial(2_958_465) == dt.date(9999, 12, 31)
    assert from_excel_serial(Decimal("45382.999")) == dt.date(2024, 3, 31)
    with pytest.raises(NotADateError):
        from_excel_serial(2_958_466)


@pytest.mark.parametrize(
    "text", ["4538", "453821", "45382.5.1", "1 March 2024 10:00", "1 2 March 2024"]
)
def test_i1_other_digit_strings_and_extra_parts_are_refused(text: str) -> None:
    with pytest.raises(NotADateError):
        from_text(text, dayfirst=True)
