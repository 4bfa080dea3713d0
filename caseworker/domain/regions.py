"""Administrative regions: GB/T 2260 codes (6 digits) and statistical codes (9 and 12 digits).

The content comes from ``resources/regions/`` (or from upstream reference data through
``RegionDirectory.from_dicts``); this module only knows how the codes are built.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from caseworker.domain.errors import InvalidValue
from caseworker.resources import load_json

Level = Literal["province", "prefecture", "county", "township", "village"]
TownshipKind = Literal["subdistrict", "town", "township", "other"]

_VILLAGE_FIELD = "village_code"
_DIGITS12 = re.compile(r"\d{12}")
# Township part of a statistical code (digits 7-9), per the NBS coding rules.
_TOWNSHIP_KINDS: tuple[tuple[int, int, TownshipKind], ...] = (
    (1, 99, "subdistrict"),
    (100, 199, "town"),
    (200, 399, "township"),
    (400, 599, "other"),
)


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: Level
    parent_code: str | None
    urban_rural_type: str | None = None
    abolished: bool = False
    # Grouping rows such as 110100 市辖区 or 429000 省直辖县级行政区划: real codes, not names.
    placeholder: bool = False
    former_names: tuple[str, ...] = ()


def level_of(code: str) -> Level:
    """Level implied by the shape of a code."""
    if len(code) == 12:
        return "village"
    if len(code) == 9:
        return "township"
    if len(code) != 6:
        raise ValueError(f"not a region code: {code!r}")
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def _clean(text: str) -> str:
    # Full-width digits and stray spaces come from Chinese input methods.
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", str(text)))


class RegionDirectory:
    """Regions by code, with the parent links implied by the codes."""

    def __init__(self, regions: Iterable[Region]) -> None:
        self._by_code: dict[str, Region] = {}
        self._children: dict[str, list[Region]] = {}
        for region in regions:
            self._by_code[region.code] = region
        for region in self._by_code.values():
            if region.parent_code is not None:
                self._children.setdefault(region.parent_code, []).append(region)
        for kids in self._children.values():
            kids.sort(key=lambda r: r.code)

    @classmethod
    def from_dicts(cls, rows: Iterable[Mapping[str, Any]]) -> RegionDirectory:
        """Build from rows shaped like the JSON entries: code, name and optional flags.

        Missing ``level`` and ``parent_code`` are derived from the code.
        """
        rows = list(rows)
        codes = {str(row["code"]) for row in rows}
        regions = []
        for row in rows:
            code = str(row["code"])
            level: Level = row.get("level") or level_of(code)
            parent = row.get("parent_code") or _derive_parent(code, level, codes)
            regions.append(
                Region(
                    code=code,
                    name=str(row["name"]),
                    level=level,
                    parent_code=parent,
                    urban_rural_type=row.get("urban_rural_type"),
                    abolished=bool(row.get("abolished", False)),
                    placeholder=bool(row.get("placeholder", False)),
                    former_names=tuple(row.get("former_names") or ()),
                )
            )
        return cls(regions)

    def find(self, code: str) -> Region | None:
        return self._by_code.get(_clean(code))

    def get(self, code: str) -> Region:
        region = self.find(code)
        if region is None:
            raise InvalidValue(
                field="region_code",
                code="unknown_region",
                message=f"区划代码“{code}”不在区划表中，请核对。",
            )
        return region

    def is_known(self, code: str) -> bool:
        return _clean(code) in self._by_code

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.is_known(code)

    def __iter__(self) -> Iterator[Region]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def children(self, code: str, *, include_abolished: bool = False) -> list[Region]:
        """Direct children; grouping rows (市辖区 ...) are looked through, not returned."""
        result: list[Region] = []
        for child in self._children.get(_clean(code), []):
            if child.abolished and not include_abolished:
                continue
            if child.placeholder:
                result.extend(self.children(child.code, include_abolished=include_abolished))
            else:
                result.append(child)
        return sorted(result, key=lambda r: r.code)

    def provinces(self) -> list[Region]:
        return sorted(
            (r for r in self._by_code.values() if r.level == "province" and not r.abolished),
            key=lambda r: r.code,
        )

    def ancestry(self, code: str) -> list[Region]:
        """The region and its ancestors, province first."""
        chain: list[Region] = []
        region = self.find(code)
        while region is not None:
            chain.append(region)
            region = self.find(region.parent_code) if region.parent_code else None
        return list(reversed(chain))

    def name_path(self, code: str) -> str:
        """Full name such as 江苏省苏州市昆山市; grouping rows (市辖区, 县 ...) are left out.

        An unknown code, such as an old code in an ID number that the table lacks, falls
        back to the province name with a note, or to the note alone.
        """
        code = _clean(code)
        chain = self.ancestry(code)
        if chain:
            names = [r.name for r in chain if not r.placeholder]
            # A municipality's name repeats at prefecture level in some data (北京市/北京市).
            deduped = [n for i, n in enumerate(names) if i == 0 or n != names[i - 1]]
            return "".join(deduped)
        province = self.find(code[:2] + "0000") if len(code) >= 2 else None
        if province is not None:
            return f"{province.name}（代码{code}未收录）"
        return f"（代码{code}未收录）"


def short_place(village_name: str) -> str:
    """云亭社区居委会 → 云亭, 定山村村委会 → 定山."""
    name = village_name
    for suffix in ("居民委员会", "村民委员会", "居委会", "村委会", "社区", "村"):
        name = name.removesuffix(suffix)
    return name or village_name


def village_names(villages: Iterable[Region]) -> dict[str, str]:
    """The names a village is written by (in full, or without 村民委员会/居委会 …) → its code."""
    found: dict[str, str] = {}
    for village in villages:
        found[_committee_stripped(_compact(village.name))] = village.code
    return found


def find_village(names: dict[str, str], written: str) -> str | None:
    """The code of the village ``written`` names (see ``village_names``), or None."""
    return names.get(_committee_stripped(_compact(written)))


_COMMITTEE_SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会", "委员会")


def _compact(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def _committee_stripped(name: str) -> str:
    for suffix in _COMMITTEE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _derive_parent(code: str, level: Level, known: set[str]) -> str | None:
    if level == "province":
        return None
    if level == "prefecture":
        return code[:2] + "0000"
    if level == "county":
        prefecture = code[:4] + "00"
        # Counties directly under a province (e.g. 济源 419001 before 419000 existed).
        return prefecture if prefecture in known else code[:2] + "0000"
    if level == "township":
        return code[:6]
    return code[:9]


def parse_village_code(text: str) -> str:
    """Validate a 12-digit statistical division code of a village or residents' committee."""
    code = _clean(text)
    if not _DIGITS12.fullmatch(code):
        raise InvalidValue(
            field=_VILLAGE_FIELD,
            code="format",
            message="村（居）委会代码应为12位数字。",
        )
    if int(code[:2]) < 11 or code[2:6] == "0000":
        raise InvalidValue(
            field=_VILLAGE_FIELD,
            code="county_part",
            message="代码前6位应为县级区划代码。",
        )
    township_kind(code)  # raises for township parts outside 001-599
    if code[9:] == "000":
        raise InvalidValue(
            field=_VILLAGE_FIELD,
            code="village_part",
            message="代码后3位为000表示乡镇本身，请填写村（居）委会的代码。",
        )
    return code


def township_kind(code: str) -> TownshipKind:
    """Kind of township from digits 7-9 of a 9- or 12-digit statistical code."""
    digits = _clean(code)
    if len(digits) not in (9, 12) or not digits.isdigit():
        raise InvalidValue(
            field=_VILLAGE_FIELD, code="format", message="乡级代码应为9位或12位数字。"
        )
    part = int(digits[6:9])
    for low, high, kind in _TOWNSHIP_KINDS:
        if low <= part <= high:
            return kind
    raise InvalidValue(
        field=_VILLAGE_FIELD,
        code="township_part",
        message=f"代码第7-9位“{digits[6:9]}”不是有效的乡级代码（应为001-599）。",
    )


@cache
def load_region_directory() -> RegionDirectory:
    """The shipped GB/T 2260 list plus the demo centre's townships and villages."""
    rows: list[Mapping[str, Any]] = list(load_json("regions", "gb2260.json")["entries"])
    demo = load_json("regions", "demo_villages.json")
    rows += demo["townships"]
    rows += demo["villages"]
    return RegionDirectory.from_dicts(rows)


@cache
def demo_centre() -> Mapping[str, str]:
    """The demo centre record (code, name, township_code) from demo_villages.json."""
    return dict(load_json("regions", "demo_villages.json")["centre"])
