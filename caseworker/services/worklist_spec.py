"""Which people a worklist holds: the one value that names a list, shared by the worklists
screen, the coverage charts (a click on a bar) and field-visit planning."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class WorklistSpec:
    """A worklist kind and the filters narrowing it; ``None`` is "any".

    ``kind`` is one of ``services.worklists.KINDS`` (not_covered, renewals_due, turning_16,
    pension_age_soon, government_paid_unrecorded, injury_uncovered). The filters are those the
    coverage picture can click on: a village, an insurance line, a status and reason, an
    employment category, a sex and an age band (``domain.coverage.age_band``).
    """

    kind: str
    village_code: str | None = None
    line: str | None = None
    status: str | None = None
    reason: str | None = None
    category: str | None = None
    sex: str | None = None
    age_band: str | None = None

    def narrowed(self, **filters: str | None) -> WorklistSpec:
        return replace(self, **filters)
