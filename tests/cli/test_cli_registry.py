"""`caseworker find` and `caseworker show` as an operator runs them: words, not codes; the
app's own refusals (too short, a number that cannot exist); JSON errors under --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from caseworker.services.centre import OpenSession, login
from caseworker.services.enrolment import enrol
from tests.cli.test_cli import assert_clean_failure, run
from tests.conftest import CLERK_PASSWORD, TODAY
from tests.services.test_enrolment import farmer

SHAN = "320583198001010016"  # farmer(): 单雄信, 汉族, farmer, 农业户口
WRONG_CHECK = SHAN[:-1] + "7"
FOREIGNER = "USA310178112357"


@pytest.fixture
def registry(paid: Path, centre: OpenSession) -> Path:
    clerk = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    enrol(clerk.database, clerk.actor, farmer(id_number=FOREIGNER, name="史密斯"), [], today=TODAY)
    clerk.close()
    return paid


def cli(home: Path, *args: str):
    return run([*args, "--user", "clerk"], home, password=CLERK_PASSWORD)


def test_show_prints_words_and_keeps_codes_in_json(registry: Path):
    shown = cli(registry, "show", SHAN)
    assert shown.returncode == 0, shown.stderr
    words = shown.stdout
    for expected in (
        "居民身份证",
        "性别 男",
        "民族 汉族",
        "就业 务农人员",
        "户口性质 农业户口",
        "城乡居民基本养老保险  参保中  档次 500.00",
        "现金",
        "玉山镇新乡村3组12号",
    ):
        assert expected in words, f"{expected!r} not in:\n{words}"
    for code in ("性别 1", "民族 01", "farmer", "family_farm", "resident_pension", "active"):
        assert code not in words
    as_json = json.loads(cli(registry, "show", SHAN, "--json").stdout)
    assert (as_json["sex"], as_json["ethnicity"]) == ("1", "01")
    assert as_json["employment_category"] == "farmer"
    assert as_json["enrolments"][0]["scheme"] == "resident_pension"


def test_find_names_the_schemes_and_sex_in_words(registry: Path):
    found = cli(registry, "find", "0016")
    assert found.returncode == 0, found.stderr
    assert "单雄信\t男" in found.stdout and "居民养老" in found.stdout


def test_a_foreigners_2017_number_is_found_and_shown(registry: Path):
    found = cli(registry, "find", "usa 3101 781123 57")
    assert "史密斯" in found.stdout, found.stderr
    shown = cli(registry, "show", FOREIGNER)
    assert "外国人永久居留身份证" in shown.stdout and "1978-11-23" in shown.stdout


@pytest.mark.parametrize("command", ["find", "show"])
def test_a_complete_number_with_a_wrong_check_character_says_so(registry: Path, command: str):
    result = cli(registry, command, WRONG_CHECK)
    assert_clean_failure(result, "校验位")
    assert "check character" in result.stderr
    assert "没有找到" not in result.stdout + result.stderr


def test_find_with_too_few_digits_says_so_as_the_app_does(registry: Path):
    result = cli(registry, "find", "12")
    assert_clean_failure(
        result, "请至少输入4位数字（身份证号或手机号的末几位），或输入姓名、拼音。"
    )
    assert result.returncode == 2


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("show", WRONG_CHECK, "--json"), "checksum", "校验位"),
        (("show", "11010519491231002X", "--json"), "person", "本地登记库中没有"),
        (("find", "12", "--json"), "too_short", "至少输入4位数字"),
    ],
)
def test_errors_under_json_are_json(registry: Path, args, code: str, words: str):
    result = cli(registry, *args)
    assert result.returncode != 0
    error = json.loads(result.stdout)["error"]
    assert error["code"] == code
    assert words in error["message"]
    assert error["message_en"] and error["message_en"] != error["message"]
    assert "错误" not in result.stderr


def test_a_wrong_password_under_json_is_json_too(registry: Path):
    result = run(["show", SHAN, "--json", "--user", "clerk"], registry, password="not it 123")
    assert result.returncode == 1
    assert json.loads(result.stdout)["error"]["message"]
