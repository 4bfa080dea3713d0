"""Benchmarks, run by hand; each prints its figures as JSON lines through ``emit``."""

from __future__ import annotations

import json
import statistics


def emit(name: str, samples: list[float], unit: str, **extra: object) -> None:
    ordered = sorted(samples)
    figure = {
        "name": name,
        "unit": unit,
        "runs": len(samples),
        "median": round(statistics.median(samples), 3),
        "p95": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 3),
        "min": round(ordered[0], 3),
        "max": round(ordered[-1], 3),
        **extra,
    }
    print(json.dumps(figure, ensure_ascii=False), flush=True)
