"""The key file: real files in tmp_path, real argon2 (with low parameters except once)."""

from __future__ import annotations

import contextlib
import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseworker.store import keys, recovery_key
from caseworker.store.keys import (
    CROCKFORD,
    DamagedKeyFile,
    InvalidUsername,
    KeyFile,
    KeyFileError,
    KeyFileExists,
    KeyFileMissing,
    OperatorExists,
    UnknownOperator,
    WeakPassword,
    WrongDatabaseKey,
    WrongPassword,
    WrongRecoveryKey,
    new_database_key,
    new_recovery_key,
    normalise_recovery_key,
    password_problem,
)

PASSWORD = "correct horse 电池"
CHEAP = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "DEFAULT_ARGON2", dict(CHEAP))


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, bytes, str]:
    """A saved key file with operators 张三 and Anna; returns (path, db key, recovery key)."""
    path, db_key, recovery = tmp_path / "centre.keys", new_database_key(), new_recovery_key()
    kf = KeyFile.create(
        path, database_key=db_key, recovery_key=recovery, centre_code="3301", centre_name="城关镇"
    )
    kf.add_operator("张三", PASSWORD, db_key)
    kf.add_operator("Anna", "another pass 2", db_key)
    kf.save()
    return path, db_key, recovery


def edit(path: Path, change) -> None:
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def slot_of(data: dict, username: str) -> dict:
    return next(s for s in data["slots"] if s.get("username") == username)


def test_create_load_unlock_round_trip(setup: tuple[Path, bytes, str]) -> None:
    path, db_key, _ = setup
    kf = KeyFile.load(path)
    assert kf.unlock("张三", PASSWORD) == db_key
    assert kf.unlock("anna", "another pass 2") == db_key  # names are case-insensitive
    assert kf.operators() == ["张三", "Anna"]
    assert (kf.centre_code, kf.centre_name) == ("3301", "城关镇")
    data = json.loads(path.read_text("utf-8"))
    assert (data["format"], data["version"], data["file_id"]) == (keys.FORMAT, 2, kf.file_id)
    assert slot_of(data, "Anna")["kdf"] == {"name": "argon2id", **CHEAP}
    assert db_key.hex() not in path.read_text("utf-8")
    assert not list(path.parent.glob("*.tmp"))


def test_wrong_password_and_unknown_operator_look_the_same(setup) -> None:
    kf = KeyFile.load(setup[0])
    with pytest.raises(WrongPassword) as wrong:
        kf.unlock("张三", "not the password")
    with pytest.raises(WrongPassword) as unknown:
        kf.unlock("李四", PASSWORD)
    assert wrong.value.message == unknown.value.message == "用户名或密码不正确。"
    assert wrong.value.message_en == unknown.value.message_en


def test_missing_file_and_refusal_to_overwrite(setup, tmp_path: Path) -> None:
    path, db_key, recovery = setup
    with pytest.raises(KeyFileMissing):
        KeyFile.load(tmp_path / "nothing.keys")
    before = path.read_bytes()
    with pytest.raises(KeyFileExists):
        KeyFile.create(
            path, database_key=db_key, recovery_key=recovery, centre_code="1", centre_name="x"
        )
    assert path.read_bytes() == before


def test_recovery_key_unlocks_after_normalisation(setup) -> None:
    path, db_key, recovery = setup
    kf = KeyFile.load(path)
    assert kf.unlock_with_recovery(recovery) == db_key
    sloppy = " ".join(recovery.lower().split("-")).replace("0", "o").replace("1", "l")
    assert normalise_recovery_key(sloppy) == recovery
    assert kf.unlock_with_recovery(sloppy) == db_key
    assert kf.unlock_with_recovery("\uff0d".join(recovery.split("-"))) == db_key  # full-width
    with pytest.raises(WrongRecoveryKey):
        kf.unlock_with_recovery(new_recovery_key())  # well-formed, but another file's


def test_recovery_key_shape() -> None:
    key = new_recovery_key()
    groups = key.split("-")
    assert len(groups) == 8 and all(len(g) == 6 and set(g) <= set(CROCKFORD) for g in groups)
    assert not set("ILOU") & set(key)
    assert new_recovery_key() != key


@given(st.lists(st.integers(0, 31), min_size=40, max_size=40), st.data())
def test_recovery_key_typos_are_caught_and_located(values: list[int], data: st.DataObject) -> None:
    chars = []
    for group in range(8):
        part = values[group * 5 : group * 5 + 5]
        chars += [CROCKFORD[v] for v in part] + [recovery_key._group_check(group, part)]
    assert normalise_recovery_key("".join(chars)) == "-".join(
        "".join(chars[i : i + 6]) for i in range(0, 48, 6)
    )
    pos = data.draw(st.integers(0, len(chars) - 1))
    if data.draw(st.booleans()) and pos % 6 < 4 and chars[pos] != chars[pos + 1]:
        chars[pos], chars[pos + 1] = chars[pos + 1], chars[pos]  # swap neighbours
    else:
        chars[pos] = data.draw(st.sampled_from([c for c in CROCKFORD if c != chars[pos]]))
    with pytest.raises(WrongRecoveryKey) as error:
        normalise_recovery_key("".join(chars))
    assert f"第{pos // 6 + 1}组有误" in error.value.message


def test_recovery_key_wrong_length_or_letter() -> None:
    key = new_recovery_key()
    with pytest.raises(WrongRecoveryKey, match="groups"):
        normalise_recovery_key(key[:-2])
    with pytest.raises(WrongRecoveryKey) as error:
        normalise_recovery_key("U" + key[1:])
    assert "第1组有误" in error.value.message


def test_slot_copied_to_another_operator_fails(setup) -> None:
    path = setup[0]

    def give_anna_zhangs_slot(data: dict) -> None:
        slot_of(data, "Anna").update({**slot_of(data, "张三"), "username": "Anna"})

    edit(path, give_anna_zhangs_slot)
    with pytest.raises(WrongPassword):
        KeyFile.load(path).unlock("Anna", PASSWORD)


def test_slot_copied_from_another_key_file_fails(setup, tmp_path: Path) -> None:
    path, _, _ = setup
    other_key = new_database_key()
    other = KeyFile.create(
        tmp_path / "other.keys",
        database_key=other_key,
        recovery_key=new_recovery_key(),
        centre_code="3301",
        centre_name="城关镇",
    )
    other.add_operator("张三", PASSWORD, other_key)
    other.save()
    foreign = slot_of(json.loads(other.path.read_text("utf-8")), "张三")
    edit(path, lambda data: slot_of(data, "张三").update(foreign))
    with pytest.raises(WrongPassword):
        KeyFile.load(path).unlock("张三", PASSWORD)


@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xfe garbage", b"[1, 2]", b'{"format": "caseworker-keyfile"}', b"null"],
)
def test_garbage_is_damaged(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "k").write_bytes(content)
    with pytest.raises(DamagedKeyFile) as error:
        KeyFile.load(tmp_path / "k")
    assert "恢复密钥或备份" in error.value.message


def test_truncated_and_bad_version_are_damaged(setup) -> None:
    path = setup[0]
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DamagedKeyFile):
        KeyFile.load(path)
    path.write_bytes(whole)
    edit(path, lambda data: data.update(version=3))
    with pytest.raises(DamagedKeyFile):
        KeyFile.load(path)


def test_flipped_byte_in_wrapped_key_or_header(setup) -> None:
    path, _, recovery = setup

    def flip(data: dict) -> None:
        wrapped = bytearray(keys.base64.b64decode(slot_of(data, "张三")["wrapped_key"]))
        wrapped[5] ^= 0x40
        slot_of(data, "张三")["wrapped_key"] = keys.base64.b64encode(wrapped).decode()

    edit(path, flip)
    with pytest.raises(WrongPassword):
        KeyFile.load(path).unlock("张三", PASSWORD)
    # An edited public header is caught by the key check once any slot opens.
    edit(path, lambda data: data["centre"].update(name="别的镇"))
    with pytest.raises(DamagedKeyFile):
        KeyFile.load(path).unlock_with_recovery(recovery)


def test_random_byte_flips_only_raise_key_file_errors(setup) -> None:
    path, db_key, recovery = setup
    original = path.read_bytes()
    target = path.with_name("fuzzed.keys")

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.integers(0, len(original) - 1), st.integers(1, 255))
    def check(position: int, mask: int) -> None:
        damaged = bytearray(original)
        damaged[position] ^= mask
        target.write_bytes(bytes(damaged))
        for attempt in (
            lambda kf: kf.unlock("张三", PASSWORD),
            lambda kf: kf.unlock_with_recovery(recovery),
        ):
            with contextlib.suppress(KeyFileError):
                assert attempt(KeyFile.load(target)) == db_key  # e.g. a flip in whitespace

    check()


def test_change_password(setup) -> None:
    path, db_key, _ = setup
    kf = KeyFile.load(path)
    kf.change_password("张三", PASSWORD, "a new password 新")
    kf.save()
    kf = KeyFile.load(path)
    with pytest.raises(WrongPassword):
        kf.unlock("张三", PASSWORD)
    assert kf.unlock("张三", "a new password 新") == db_key
    with pytest.raises(WrongPassword):
        kf.change_password("张三", "wrong", "whatever else 1")
    with pytest.raises(WeakPassword):
        kf.change_password("张三", "a new password 新", "short")


def test_reset_and_remove_are_admin_operations(setup) -> None:
    path, db_key, _ = setup
    kf = KeyFile.load(path)
    kf.reset_password("anna", "reset by admin 1", db_key)
    assert kf.unlock("Anna", "reset by admin 1") == db_key
    with pytest.raises(WrongDatabaseKey):
        kf.reset_password("Anna", "reset by admin 2", new_database_key())
    with pytest.raises(UnknownOperator):
        kf.reset_password("李四", "reset by admin 1", db_key)
    kf.remove_operator("ANNA")
    assert kf.operators() == ["张三"]
    with pytest.raises(UnknownOperator):
        kf.remove_operator("Anna")
    with pytest.raises(WrongPassword):
        kf.unlock("Anna", "reset by admin 1")


def test_add_operator_checks(setup) -> None:
    path, db_key, _ = setup
    kf = KeyFile.load(path)
    with pytest.raises(OperatorExists):
        kf.add_operator("anna", "yet another 1", db_key)
    with pytest.raises(WrongDatabaseKey):
        kf.add_operator("王五", "yet another 1", new_database_key())
    with pytest.raises(WeakPassword) as weak:
        kf.add_operator("demo", "demo", db_key)
    assert weak.value.message == "密码至少需要8个字符。"
    kf.add_operator("demo", "demo", db_key, allow_weak=True)  # demo data only
    assert kf.unlock("demo", "demo") == db_key
    for bad in ("", "a\nb", "tab\there", "x" * 33, "zero\u200bwidth"):
        with pytest.raises(InvalidUsername):
            kf.add_operator(bad, "good password 1", db_key)


def test_save_keeps_a_backup_that_still_unlocks(setup) -> None:
    path, db_key, _ = setup
    kf = KeyFile.load(path)
    kf.add_operator("王五", "wang wu pass 1", db_key)
    kf.save()
    backup = KeyFile.load(path.with_name(path.name + ".bak"))
    assert backup.operators() == ["张三", "Anna"]
    assert backup.unlock("张三", PASSWORD) == db_key
    assert KeyFile.load(path).unlock("王五", "wang wu pass 1") == db_key
    assert sorted(p.name for p in path.parent.iterdir()) == ["centre.keys", "centre.keys.bak"]


def test_nfc_and_nfd_passwords_unlock_alike(setup) -> None:
    path, db_key, _ = setup
    kf = KeyFile.load(path)
    password = "Café résumé 密码"
    kf.add_operator("Zoë", unicodedata.normalize("NFD", password), db_key)
    assert unicodedata.normalize("NFD", password) != unicodedata.normalize("NFC", password)
    assert kf.unlock(unicodedata.normalize("NFD", "Zoë"), password) == db_key


@pytest.mark.parametrize(
    ("password", "username", "problem"),
    [
        ("short", None, "密码至少需要8个字符。"),
        ("密码12345678", None, None),
        ("aaaaaaaaaa", None, "密码不能全是同一个字符。"),
        ("Administrator", "administrator", "密码不能与用户名相同。"),
        ("Administrator", "someone", None),
        ("a perfectly fine one", None, None),
    ],
)
def test_password_problem(password: str, username: str | None, problem: str | None) -> None:
    assert password_problem(password, username) == problem


def test_default_parameters_are_written_into_the_slot_and_unlock(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The production cost (timed by bench/, not here) is stored per slot, so it can be raised later.
    production = {"time_cost": 3, "memory_cost": 65536, "parallelism": 2}
    monkeypatch.setattr(keys, "DEFAULT_ARGON2", production)
    db_key = new_database_key()
    kf = KeyFile.create(
        tmp_path / "k",
        database_key=db_key,
        recovery_key=new_recovery_key(),
        centre_code="1",
        centre_name="x",
    )
    kf.add_operator("admin", PASSWORD, db_key)
    kf.save()
    stored = json.loads((tmp_path / "k").read_text())
    (slot,) = [s for s in stored["slots"] if s["kind"] == "password"]
    assert slot["kdf"] == {"name": "argon2id", **production}
    assert KeyFile.load(tmp_path / "k").unlock("admin", PASSWORD) == db_key
