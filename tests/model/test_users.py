"""Users, teams and roles (E9)."""

from __future__ import annotations

import pytest

from custdb.errors import ValidationError
from custdb.model import Email, Role, Team, User


def test_e9_users_have_roles_and_belong_to_teams() -> None:
    sales = Team(name="Sales Moscow")
    head = User(name="Анна Смирнова", email="anna@example.ru", role="department_head")
    team = Team(name="Sales Moscow", head_id=head.id, parent_id=sales.id)
    manager = User(name="Пётр Иванов", team_id=team.id)
    assert (User.ENTITY, Team.ENTITY) == ("user", "team")
    assert head.role is Role.DEPARTMENT_HEAD
    assert head.email == Email("anna@example.ru")
    assert manager.role is Role.MANAGER
    assert manager.active


def test_e9_the_four_roles() -> None:
    assert [role.value for role in Role] == [
        "manager", "department_head", "director", "administrator",
    ]  # fmt: skip


def test_e9_a_user_needs_a_name_and_a_known_role() -> None:
    with pytest.raises(ValidationError):
        User(name="")
    with pytest.raises(ValidationError) as caught:
        User(name="X", role="boss")
    assert (caught.value.entity, caught.value.field) == ("user", "role")
    with pytest.raises(ValidationError):
        Team(name=" ")
