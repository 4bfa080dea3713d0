"""What this copy of the app is: its version and, for a frozen build, when and from which
commit it was built (``caseworker_build``, written by installer/build.py); "source" otherwise."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from caseworker import __version__


@dataclass(frozen=True)
class BuildInfo:
    version: str
    frozen: bool
    built_at: str | None  # ISO 8601, UTC
    commit: str | None

    @property
    def build_words(self) -> str:
        """``built 2026-12-01T23:10:00+00:00, commit 1a2b3c4d5e6f`` or ``source``."""
        if not self.frozen or not self.built_at:
            return "source"
        return f"built {self.built_at}" + (f", commit {self.commit}" if self.commit else "")

    def version_line(self) -> str:
        return f"caseworker {self.version} ({self.build_words})"


def build_info() -> BuildInfo:
    frozen = bool(getattr(sys, "frozen", False))
    if not frozen:  # a checkout or a wheel: no build to speak of
        return BuildInfo(__version__, False, None, None)
    try:
        import caseworker_build  # type: ignore[import-not-found]
    except ImportError:
        return BuildInfo(__version__, frozen, None, None)
    return BuildInfo(
        __version__, frozen, caseworker_build.BUILT_AT, caseworker_build.COMMIT or None
    )
