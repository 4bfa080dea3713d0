"""The main window of a store behind its marks: a banner that says what was lost and what to
do, in the operator's language; none for a whole store."""

from __future__ import annotations

from pathlib import Path

from caseworker.services.centre import OpenSession, login
from tests.conftest import CLERK_PASSWORD
from tests.services.test_recovery import _crash_with_damaged_wal
from tests.ui.test_main_window import open_window


def test_restricted_session_shows_the_loss_and_what_to_do(
    qtbot, centre: OpenSession, runner, tmp_path: Path
):
    crash = _crash_with_damaged_wal(centre, tmp_path / "crashed", keep_shm=True)
    clerk = login(crash.paths, "clerk", CLERK_PASSWORD)
    try:
        window = open_window(qtbot, clerk, runner)
        banner = window.store_banner
        assert banner.isVisible()
        assert f"{crash.lost[0]} 至 {crash.lost[-1]}" in banner.text()
        assert "caseworker db restore" in banner.text()
        window.apply_language("en")
        assert window.store_banner.text().startswith("Payments and enrolments are stopped")
        assert f"{crash.lost[0]} to {crash.lost[-1]}" in window.store_banner.text()
        window.apply_language("zh")
        window.close()
    finally:
        clerk.close()


def test_no_banner_for_a_whole_store(qtbot, centre: OpenSession, runner):
    clerk = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    try:
        window = open_window(qtbot, clerk, runner)
        assert not window.store_banner.isVisible()
        window.close()
    finally:
        clerk.close()
