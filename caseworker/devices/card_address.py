"""A card's address read into the region directory: 江苏省江阴市云亭街道定山村十二组34号 →
the village 320281005200 and the rest, 十二组34号, for the detailed address field.

The address is walked level by level from the province: at each level the child whose
name (in full, or without 村民委员会 / 居委会 / 社区 …) the text continues with is taken; the
walk stops where no child matches, so a partly known address still gives its county.
"""

from __future__ import annotations

from dataclasses import dataclass

from caseworker.domain.regions import Region, RegionDirectory, short_place

_SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会", "委员会")


@dataclass(frozen=True)
class AddressMatch:
    code: str | None  # the deepest region the address names, None when not even a province
    rest: str  # what follows it (group, street, house number)


def _spellings(region: Region) -> list[str]:
    """How an address may write the region: in full, without the committee words, short."""
    names = [region.name]
    for suffix in _SUFFIXES:
        if region.name.endswith(suffix) and len(region.name) > len(suffix):
            names.append(region.name[: -len(suffix)])
    short = short_place(region.name)
    if short != region.name and len(short) >= 2:
        names.append(short)
    return sorted(set(names), key=len, reverse=True)  # the longest spelling wins


def match_address(directory: RegionDirectory, address: str) -> AddressMatch:
    text = "".join(address.split())
    code: str | None = None
    candidates = directory.provinces()
    while candidates:
        step = _step(directory, candidates, text, above=code)
        if step is None:
            break
        region, text = step
        code = region.code
        candidates = directory.children(region.code)
    return AddressMatch(code=code, rest=text)


def _step(
    directory: RegionDirectory, candidates: list[Region], text: str, *, above: str | None
) -> tuple[Region, str] | None:
    parent = directory.find(above) if above else None
    for region in candidates:
        if region.placeholder or (parent is not None and region.name == parent.name):
            # A grouping row (市辖区, 县) or a municipality named again is never written twice.
            inner = _step(directory, directory.children(region.code), text, above=region.code)
            if inner is not None:
                return inner
            continue
        for spelling in _spellings(region):
            if text.startswith(spelling):
                return region, text[len(spelling) :]
    # County-level cities are written without their prefecture (江苏省江阴市, not 无锡市).
    for region in candidates:
        if region.level == "prefecture" and not region.placeholder:
            inner = _step(directory, directory.children(region.code), text, above=region.code)
            if inner is not None:
                return inner
    return None
