"""custdb.rules: the A6 field rules (seed 003 L483-491) and their configuration."""

from __future__ import annotations

import unicodedata

import attrs
import pytest

from custdb.errors import ValidationError
from custdb.rules import (
    DEFAULT_RULES,
    FREE_MAIL_DOMAINS,
    FieldRules,
    check_email,
    check_name,
    check_phone,
)

BUSINESS = attrs.evolve(DEFAULT_RULES, business_email=True)


def refused(call: object, value: object, field: str) -> ValidationError:
    assert callable(call)
    with pytest.raises(ValidationError) as caught:
        call(value)
    assert caught.value.field == field
    assert caught.value.value == value
    assert repr(value) in str(caught.value)
    return caught.value


def test_a6_defaults_follow_the_seed() -> None:
    assert (
        FieldRules(
            name_max_length=30, email_local_max_length=64, phone_max_digits=20, business_email=False
        )
        == DEFAULT_RULES
    )


@pytest.mark.parametrize(
    "name",
    ["O'Reilly", "O’Reilly", "Anne-Marie", "Ólafur", "Юлия", "Jose\u0301", "张伟", "Mary Jane"],
)
def test_a6_names_of_any_script_with_spaces_hyphens_apostrophes_pass(name: str) -> None:
    assert check_name(name) == unicodedata.normalize("NFC", name)


def test_a6_name_is_returned_cleaned() -> None:
    assert check_name("  Anne   Marie ", field="first_name") == "Anne Marie"
    assert check_name("") == ""


@pytest.mark.parametrize("name", ["R2D2", "<script>", "Anna>", "J. Smith", "-", "'"])
def test_a6_names_with_digits_or_signs_are_refused(name: str) -> None:
    error = refused(lambda v: check_name(v, field="last_name"), name, "last_name")
    assert "A6" not in str(error)  # Foundation III item 12: no requirement ids for users


def test_a6_name_longer_than_30_characters_is_refused() -> None:
    assert check_name("Ю" * 30) == "Ю" * 30
    error = refused(check_name, "Ю" * 31, "first_name")
    assert "31 characters" in str(error)


def test_a6_name_limit_is_configurable() -> None:
    assert check_name("A" * 40, attrs.evolve(DEFAULT_RULES, name_max_length=40)) == "A" * 40


def test_a6_name_that_is_not_text_is_refused_naming_the_field() -> None:
    refused(check_name, 42, "first_name")


def test_a6_email_is_normalized() -> None:
    assert check_email(" John@Example.COM ") == "John@example.com"


def test_a6_email_local_part_over_64_characters_is_refused() -> None:
    assert check_email("a" * 64 + "@example.com")
    error = refused(check_email, "a" * 65 + "@example.com", "email")
    assert "65 characters" in str(error)


def test_a6_invalid_email_is_refused_naming_the_field() -> None:
    refused(lambda v: check_email(v, field="work_email"), "not an address", "work_email")


@pytest.mark.parametrize("address", ["ivan@mail.ru", "kari@online.no", "x@GMAIL.com", "j@gmx.de"])
def test_a6_business_email_refuses_free_mail(address: str) -> None:
    assert check_email(address) == address.replace("GMAIL", "gmail")
    error = refused(lambda v: check_email(v, BUSINESS), address, "email")
    assert "free-mail" in str(error)


def test_a6_business_email_accepts_company_domains() -> None:
    assert check_email("ivan@romashka.ru", BUSINESS) == "ivan@romashka.ru"


def test_a6_free_mail_domains_are_configurable() -> None:
    rules = attrs.evolve(BUSINESS, free_mail_domains=FREE_MAIL_DOMAINS | {"romashka.ru"})
    refused(lambda v: check_email(v, rules), "ivan@romashka.ru", "email")


def test_a6_phone_is_normalized() -> None:
    assert check_phone("8 (912) 345-67-89", region="RU") == "+79123456789"


def test_a6_phone_over_20_digits_is_refused() -> None:
    error = refused(check_phone, "+7 912 345 67 89 12345 67890", "phone")
    assert "21 digits" in str(error)


def test_a6_phone_digit_limit_is_configurable() -> None:
    rules = attrs.evolve(DEFAULT_RULES, phone_max_digits=10)
    refused(lambda v: check_phone(v, rules, field="mobile"), "+7 912 345 67 89", "mobile")


def test_a6_invalid_phone_is_refused_naming_the_field() -> None:
    refused(lambda v: check_phone(v, field="mobile"), "8 (912) 345-67-89", "mobile")


def test_a6_bad_region_names_the_region() -> None:
    with pytest.raises(ValidationError) as caught:
        check_phone("8 (912) 345-67-89", region="XX")
    assert caught.value.field == "region"


@pytest.mark.parametrize("field", ["name_max_length", "email_local_max_length", "phone_max_digits"])
def test_a6_limits_must_be_positive(field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        FieldRules(**{field: 0})
    assert caught.value.field == field
