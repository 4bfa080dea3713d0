"""Enrolment tokens are typed after ``--token`` on a centre's command line: one starting with
"-" would be taken for an option and the registration refused by argparse."""

from __future__ import annotations

import re
from pathlib import Path

from caseworker.upstream.db import open_upstream
from caseworker.upstream.devices import add_centre, issue_token


def test_tokens_never_look_like_an_option(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'county.db'}"
    db = open_upstream(url)
    add_centre(db, "320583101", "玉山镇社会保障服务中心")
    tokens = {issue_token(db, "320583101") for _ in range(200)}
    assert len(tokens) == 200
    assert all(re.fullmatch(r"[0-9a-f]{40}", token) for token in tokens)
