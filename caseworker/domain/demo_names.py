"""Names for the demo centre: weighted surnames, era-typical given names, minority names.

Used by :mod:`caseworker.domain.demo_people`. The lists live in ``resources/demo/people.json``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date
from functools import cache
from typing import Any

from caseworker.domain.demo_work import MALE, Picker
from caseworker.resources import load_json

# (relationship code, age, sex, role); role is head, incomer (spouse, daughter-in-law),
# child, grandchild, parent (the head's father) or parent_incomer (the head's mother).
MemberSpec = tuple[str, int, str, str]


@cache
def demo_lists() -> dict[str, Any]:
    return load_json("demo", "people.json")


DEMO_SURNAMES: dict[str, float] = dict(demo_lists()["surnames"])
"""Surname → rough share of the population (%), rare and compound surnames weighted up."""

_SURNAME = Picker(list(DEMO_SURNAMES), list(DEMO_SURNAMES.values()))


class NameMaker:
    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng, self.today, self.d = rng, today, demo_lists()

    def surname(self) -> str:
        return _SURNAME(self.rng)

    def given(self, sex: str, age: int) -> str:
        """One or two characters typical of the birth era; rarely one outside the BMP."""
        rng = self.rng
        born = self.today.year - age
        era = "old" if born < 1960 else "mid" if born < 1990 else "young"
        pool = self.d["given_chars"][f"{'male' if sex == MALE else 'female'}_{era}"]
        size = 1 if rng.random() < (0.35 if era == "old" else 0.2) else 2
        given = "".join(rng.choice(pool) for _ in range(size))
        if rng.random() < 0.004:  # some real names have characters outside the BMP
            given = given[:-1] + rng.choice(self.d["astral_chars"])
        return given

    def household(self, specs: Sequence[MemberSpec], group: Any) -> list[str]:
        """Names for a household's members; ``group`` is a minority entry of people.json or None."""
        rng = self.rng
        style = group["style"] if group else "han"
        if style in ("dot", "single"):
            lists = self.d["minorities"]["names"][group["code"]]

            def own(sex: str) -> str:
                return rng.choice(lists["male" if sex == MALE else "female"])

            if style == "single":  # Tibetan and Mongolian names: no surname
                return [own(sex) for _, _, sex, _ in specs]
            return _dot_names(specs, own)

        if style == "korean":
            korean = self.d["minorities"]["korean_surnames"]

            def surname() -> str:
                return rng.choice(korean)
        else:
            surname = self.surname

        head_surname = surname()
        surnames = [head_surname if sp[3] in ("head", "parent") else surname() for sp in specs]
        # Children take the father's surname: a male head's, or the husband's of a female head.
        family = next(
            (sn for sn, sp in zip(surnames, specs, strict=True) if _is_father(sp)), head_surname
        )
        return [
            (family if role in ("child", "grandchild") else sn) + self.given(sex, age)
            for sn, (_, age, sex, role) in zip(surnames, specs, strict=True)
        ]


def _is_father(spec: MemberSpec) -> bool:
    return spec[3] in ("head", "incomer") and spec[2] == MALE


def _dot_names(specs: Sequence[MemberSpec], own: Callable[[str], str]) -> list[str]:
    """Uyghur and Kazakh names: own name · father's own name, linked across generations."""
    owns = [own(sex) for _, _, sex, _ in specs]

    def unlike(role: str, name: str) -> None:
        # A child is rarely given the father's own name: draw again until they differ.
        for i, (_, _, sex, r) in enumerate(specs):
            while r == role and owns[i] == name:
                owns[i] = own(sex)

    head_father = own(MALE)
    unlike("head", head_father)
    father = next((o for o, sp in zip(owns, specs, strict=True) if _is_father(sp)), head_father)
    unlike("child", father)
    son = next((o for o, sp in zip(owns, specs, strict=True) if sp[3] == "child"), father)
    unlike("grandchild", son)
    known = {"head": head_father, "child": father, "grandchild": son}
    names = []
    for mine, (_, _, _, role) in zip(owns, specs, strict=True):
        if role == "parent":  # the head's father: his own name is the second part of the head's
            mine = head_father
        parent = known.get(role) or own(MALE)
        while parent == mine:
            parent = own(MALE)
        names.append(f"{mine}·{parent}")
    return names
