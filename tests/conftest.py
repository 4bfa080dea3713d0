"""Shared fixtures: every test gets its own data folder and, where asked, a real encrypted
centre migrated to head. Nothing of ours is mocked."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from caseworker.paths import DataPaths
from caseworker.services.actor import Role
from caseworker.services.centre import OpenSession, SetupResult, add_operator, login, setup_centre
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.store import keys
from tests.prepared import forget_handed_out, prepared_centre

# Property tests must not depend on how busy the machine is: no per-example deadline and no
# "too slow" health check (a loaded CI runner failed one on time alone).
settings.register_profile("caseworker", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("caseworker")

ADMIN_PASSWORD = "correct horse 1"
CLERK_PASSWORD = "clerk pass 22"
SUPERVISOR_PASSWORD = "super pass 333"
CENTRE_CODE = "320583101"
TODAY = date(2026, 11, 27)


# The parameters the app derives with, as shipped (tests/cli/test_cli.py checks that a key
# file written by `caseworker setup` carries them).
PRODUCTION_ARGON2 = dict(keys.DEFAULT_ARGON2)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules with a test marked ``slow`` first (each in its own order): with ``-n 2`` the
    long tests start early, and the many short ones fill both workers up to the end instead
    of one worker finishing a long test alone."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)


@pytest.fixture(autouse=True, scope="session")
def _fast_argon2() -> Iterator[None]:
    # Real argon2id, lighter parameters, for every key slot this test process writes (the
    # centres of module-scoped fixtures too): key-file tests that need the defaults say so.
    # Our command lines run as processes of their own (tests/procs.py) with the defaults.
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(keys.DEFAULT_ARGON2, "time_cost", 1)
        patch.setitem(keys.DEFAULT_ARGON2, "memory_cost", 8 * 1024)
        yield


@pytest.fixture(autouse=True)
def _one_copy_of_each_prepared_centre() -> None:
    forget_handed_out()


@pytest.fixture
def data_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataPaths:
    root = tmp_path / "data"
    monkeypatch.setenv("CASEWORKER_HOME", str(root))
    return DataPaths(root)


@pytest.fixture
def centre(data_paths: DataPaths) -> Iterator[OpenSession]:
    """A set-up centre, logged in as its administrator, with a clerk and a supervisor (a copy
    of one set up once per test process: see tests/prepared.py)."""
    session = prepared_centre(data_paths, "conftest.centre", _set_up_centre).session
    yield session
    session.close()


def _set_up_centre(paths: DataPaths) -> SetupResult:
    result = setup_centre(
        paths,
        centre_code=CENTRE_CODE,
        centre_name="玉山镇社会保障服务中心",
        admin_username="admin",
        admin_password=ADMIN_PASSWORD,
    )
    session = result.session
    add_operator(session, username="clerk", password=CLERK_PASSWORD, role=Role.CLERK)
    add_operator(session, username="supervisor", password=SUPERVISOR_PASSWORD, role=Role.SUPERVISOR)
    return result


@pytest.fixture
def clerk(centre: OpenSession) -> Iterator[OpenSession]:
    """The centre's clerk, logged in (modules may define their own)."""
    from caseworker.services.centre import login

    session = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    yield session
    session.close()


@pytest.fixture
def supervisor(centre: OpenSession) -> Iterator[OpenSession]:
    """The centre's supervisor, logged in."""
    from caseworker.services.centre import login

    session = login(centre.database.paths, "supervisor", SUPERVISOR_PASSWORD)
    yield session
    session.close()


@dataclass
class ClosedCentre:
    paths: DataPaths
    recovery_key: str


@pytest.fixture
def closed_centre(data_paths: DataPaths) -> Iterator[ClosedCentre]:
    """A centre with a clerk's work in it, then closed: the admin's password is forgotten."""
    result = setup_centre(
        data_paths,
        centre_code=CENTRE_CODE,
        centre_name="玉山镇社会保障服务中心",
        admin_username="admin",
        admin_password=ADMIN_PASSWORD,
    )
    add_operator(result.session, username="clerk", password=CLERK_PASSWORD, role=Role.CLERK)
    result.session.close()
    clerk = login(data_paths, "clerk", CLERK_PASSWORD)
    from tests.services.test_enrolment import farmer  # that module imports this one

    enrol(clerk.database, clerk.actor, farmer(), [EnrolmentChoice("resident_medical")], today=TODAY)
    clerk.close()
    yield ClosedCentre(data_paths, result.recovery_key)
