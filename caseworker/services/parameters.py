"""Scheme parameters in force: shipped defaults until upstream reference data replaces them."""

from __future__ import annotations

from datetime import date

from caseworker.domain.schemes import SchemeParameters, load_parameter_book


def parameters_for(day: date, province_code: str) -> SchemeParameters:
    return load_parameter_book().for_date(day, province_code)
