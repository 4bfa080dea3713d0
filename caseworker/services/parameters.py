"""Scheme parameters in force: shipped defaults until upstream reference data replaces them."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from caseworker.domain.scheme_parameters import SchemeParameters, load_parameter_book


@lru_cache(maxsize=64)  # the book is immutable; a bulk import asks for the same day often
def parameters_for(day: date, province_code: str) -> SchemeParameters:
    return load_parameter_book().for_date(day, province_code)
