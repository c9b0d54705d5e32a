"""The people who use the CRM (E9): users, their teams, and the roles that set access."""

from __future__ import annotations

from typing import ClassVar

import attrs

from custdb.model._checks import (
    Choice,
    check_optional_key,
    check_required_name,
    choice,
    coerce_choice,
)
from custdb.model.entity import Entity
from custdb.model.values import Email, to_email

__all__ = ["Role", "Team", "User"]


class Role(Choice):
    """What a user sees (A2): a manager their own clients, a department head the
    department's, a director or administrator everything."""

    MANAGER = "manager"
    DEPARTMENT_HEAD = "department_head"
    DIRECTOR = "director"
    ADMINISTRATOR = "administrator"


def _to_role(value: Role | str) -> Role:
    return coerce_choice(Role, value)


@attrs.frozen(kw_only=True, repr=False)
class User(Entity):
    """A member of staff; an inactive user keeps their history but owns nothing new."""

    ENTITY: ClassVar[str] = "user"
    SUMMARY: ClassVar[tuple[str, ...]] = ("name", "role")

    name: str = attrs.field(validator=check_required_name)
    email: Email | None = attrs.field(default=None, converter=to_email)
    role: Role = attrs.field(default=Role.MANAGER, converter=_to_role, validator=choice(Role))
    team_id: str | None = attrs.field(default=None, validator=check_optional_key)
    active: bool = True


@attrs.frozen(kw_only=True, repr=False)
class Team(Entity):
    """A department; ``parent_id`` nests departments, ``head_id`` is its head's user id."""

    ENTITY: ClassVar[str] = "team"
    SUMMARY: ClassVar[tuple[str, ...]] = ("name",)

    name: str = attrs.field(validator=check_required_name)
    head_id: str | None = attrs.field(default=None, validator=check_optional_key)
    parent_id: str | None = attrs.field(default=None, validator=check_optional_key)
