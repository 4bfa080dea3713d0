"""The worklists' township as a module-scoped fixture: built once per test module (a few
seconds), read by every test of the module, never written to by them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from caseworker.paths import DataPaths
from caseworker.services.actor import Role
from caseworker.services.centre import OpenSession, add_operator, login, setup_centre
from caseworker.store import keys
from tests.conftest import (
    ADMIN_PASSWORD,
    CENTRE_CODE,
    CLERK_PASSWORD,
    SUPERVISOR_PASSWORD,
)
from tests.services.worklist_data import build


@dataclass
class Town:
    centre: OpenSession
    paths: DataPaths
    people: dict[str, uuid.UUID]

    @property
    def names(self) -> dict[uuid.UUID, str]:
        return {person_id: name for name, person_id in self.people.items()}


def town_fixture():
    @pytest.fixture(scope="module")
    def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Town]:
        with pytest.MonkeyPatch.context() as patch:
            patch.setitem(keys.DEFAULT_ARGON2, "time_cost", 1)
            patch.setitem(keys.DEFAULT_ARGON2, "memory_cost", 8 * 1024)
            paths = DataPaths(tmp_path_factory.mktemp("town"))
            result = setup_centre(
                paths,
                centre_code=CENTRE_CODE,
                centre_name="玉山镇社会保障服务中心",
                admin_username="admin",
                admin_password=ADMIN_PASSWORD,
            )
            session = result.session
            add_operator(session, username="clerk", password=CLERK_PASSWORD, role=Role.CLERK)
            add_operator(
                session, username="supervisor", password=SUPERVISOR_PASSWORD, role=Role.SUPERVISOR
            )
            supervisor = login(paths, "supervisor", SUPERVISOR_PASSWORD)
            try:
                people = build(session, supervisor)
            finally:
                supervisor.close()
            yield Town(session, paths, people)
            session.close()

    return town
