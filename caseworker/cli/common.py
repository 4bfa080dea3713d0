"""What every CLI command shares: passwords, opening the store, printing errors."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

from caseworker.domain.errors import InvalidValue
from caseworker.logs import log_defect
from caseworker.paths import DataPaths, resolve_data_dir
from caseworker.services.errors import ServiceError
from caseworker.store.connect import StoreOpenError
from caseworker.store.key_errors import KeyFileError

if TYPE_CHECKING:
    from caseworker.services.centre import OpenSession
    from caseworker.services.sign_in import DirectSession

# Nothing here imports SQLAlchemy: `caseworker find` runs without it (see looking_up), and
# the commands that use the ORM import it through their services.

PASSWORD_ENV = "CASEWORKER_PASSWORD"
USER_ENV = "CASEWORKER_USER"
EXIT_USAGE = 2
EXIT_FAILED = 1


class CliError(Exception):
    def __init__(self, message: str, message_en: str = "", code: str = "usage") -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en
        self.code = code


def fail(message: str, message_en: str = "", *, code: str = "usage") -> NoReturn:
    raise CliError(message, message_en, code)


def data_dir_option(parser: argparse.ArgumentParser) -> None:
    # Accepted after the command too (`caseworker demo --data-dir X`), as the docs show it.
    parser.add_argument("--data-dir", default=argparse.SUPPRESS, help="data folder")


def user_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", help="operator username (or $CASEWORKER_USER)")
    data_dir_option(parser)


def paths_from(args: Any) -> DataPaths:
    return resolve_data_dir(getattr(args, "data_dir", None))


def read_password(prompt: str, *, env: str = PASSWORD_ENV, confirm: bool = False) -> str:
    """From the environment (scripts, tests) or typed at a prompt without echo."""
    if os.environ.get(env):
        return os.environ[env]
    if not sys.stdin.isatty():
        fail(
            f"请在终端中输入密码，或设置环境变量 {env}。",
            f"Type the password at a terminal, or set {env}.",
        )
    password = getpass.getpass(prompt)
    if confirm and getpass.getpass("再次输入 / again: ") != password:
        fail("两次输入的密码不一致。", "The two passwords differ.")
    return password


def _login_target(args: Any) -> tuple[str, DataPaths]:
    username = getattr(args, "user", None) or os.environ.get(USER_ENV)
    if not username:
        fail("请用 --user 指定操作员用户名。", "Name the operator with --user.")
    paths = paths_from(args)
    if not paths.key_file.exists():
        fail(
            f"数据文件夹 {paths.root} 中没有服务中心数据。请先运行 caseworker setup 或 caseworker demo。",
            f"No centre in {paths.root}; run `caseworker setup` or `caseworker demo` first.",
        )
    return username, paths


def open_session(args: Any) -> OpenSession:
    from caseworker.services.centre import login

    username, paths = _login_target(args)
    session = login(paths, username, read_password(f"{username} 的密码 / password: "))
    _warn_about_store(session)
    return session


@contextmanager
def looking_up(args: Any, check: Callable[[], None] = lambda: None, *modules: str) -> Iterator[Any]:
    """A read transaction's DB-API connection for a look-up, after the same login as
    ``open_session`` but without SQLAlchemy when the file is at the head revision
    (``sign_in.login_direct``).

    argon2 releases the GIL, so the key is derived on a thread while ``check`` (the command's
    own refusals, said before anything about the login, as without the thread) runs and
    ``modules`` are imported. A refusal before the slot is asked for keeps no failed login."""
    import importlib

    from caseworker.services.login_guard import unlock_on_thread, utc_now

    typed = not os.environ.get(PASSWORD_ENV)
    if typed:  # asked at a prompt: a refused query is said before the password is asked for
        check()
    try:
        username, paths = _login_target(args)
        password = read_password(f"{username} 的密码 / password: ")
        attempted_at = utc_now()
        unlocked = unlock_on_thread(paths, username, password, attempted_at)
    except Exception:
        if not typed:
            check()  # the command's own refusal comes first, as it did before the login
        raise
    if not typed:
        check()
    from caseworker.services.sign_in import DirectSession, login_direct

    for module in modules:
        importlib.import_module(module)
    session = login_direct(paths, username, attempted_at, *unlocked())
    try:
        _warn_about_store(session)
        if isinstance(session, DirectSession):
            with session.store.reading() as connection:
                yield connection
        else:
            from caseworker.store.direct import dbapi_of

            with session.database.reading() as orm_session:
                yield dbapi_of(orm_session)
    finally:
        session.close()


def _warn_about_store(session: OpenSession | DirectSession) -> None:
    """A restricted store or re-created marks are said at every command, not only on refusal."""
    from caseworker.services.store_guard import restriction_words

    words = restriction_words(session.database, session.actor)
    if words is not None:
        print(f"注意：{words[0]}", file=sys.stderr)
        print(f"Warning: {words[1]}", file=sys.stderr)
    elif session.database.marks_note == "created":
        print(
            "注意：没有找到高水位标记文件 caseworker.marks，已按当前数据库重新建立；"
            "对丢失写入的检查从现在开始。",
            file=sys.stderr,
        )
        print(
            "Warning: the marks file caseworker.marks was missing and has been created from "
            "the database as it is; lost writes are detected from now on.",
            file=sys.stderr,
        )


def print_json(value: Any) -> None:
    from caseworker.domain.wire import to_jsonable

    json.dump(to_jsonable(value), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _is_damage(error: BaseException) -> bool:
    """A DatabaseError from SQLite/SQLCipher that means the file itself is broken."""
    sqlcipher = sys.modules.get("sqlcipher3.dbapi2")  # not loaded: not the driver's error
    original = getattr(error, "orig", error)  # SQLAlchemy wraps the driver's error (DBAPIError)
    if sqlcipher is None or not isinstance(original, sqlcipher.DatabaseError):
        return False
    if type(original) is sqlcipher.DatabaseError:  # not Integrity/Programming/Operational
        return True
    words = str(original).lower()
    return any(w in words for w in ("malformed", "not a database", "disk i/o", "corrupt"))


def _damage_named(command: Callable[[], int | None], data_dir: str | None) -> int | None:
    """A page that fails its check while a command runs is a damaged store, never a defect."""
    try:
        return command()
    except Exception as error:
        if not _is_damage(error):
            raise
        from caseworker.store.inspect import damaged_error

        raise damaged_error(resolve_data_dir(data_dir).database) from error


def run_guarded(
    command: Callable[[], int | None], data_dir: str | None = None, *, as_json: bool = False
) -> int:
    """Every failure an operator can cause ends as one clear message and exit status, no trace.

    With ``as_json`` (a command's --json) the message is a JSON object on stdout, so a script
    reading the output gets JSON whether the command worked or not.
    """
    say = _say_json if as_json else _say
    try:
        return _damage_named(command, data_dir) or 0
    except CliError as error:
        say(error.message, error.message_en, error.code)
        return EXIT_USAGE
    except (ServiceError, KeyFileError, StoreOpenError) as error:
        code = getattr(error, "code", type(error).__name__)
        say(error.message, getattr(error, "message_en", ""), code)
        return EXIT_FAILED
    except InvalidValue as error:
        say(f"{error.field}: {error.message}", getattr(error, "message_en", ""), error.code)
        return EXIT_FAILED
    except KeyboardInterrupt:
        say("已取消。", "Cancelled.", "cancelled")
        return 130
    except Exception as error:
        # A defect, not an operator mistake: one line here, the frames (no personal data) in
        # the data folder's log, never a file of fixed name in the shared temp folder.
        log = log_defect(error)
        kind = type(error).__name__
        if log is None:
            say(
                f"程序内部错误（{kind}），数据未受影响。无法写入日志，请交给技术支持。",
                f"Internal error ({kind}); nothing was saved half-way. The log could not be "
                "written; please tell support.",
                "internal",
            )
        else:
            say(
                f"程序内部错误（{kind}），数据未受影响。详细信息已写入 {log}，请交给技术支持。",
                f"Internal error ({kind}); nothing was saved half-way. "
                f"Details are in {log}; please pass them to support.",
                "internal",
            )
        return 70


def _say(message: str, message_en: str, _code: str = "") -> None:
    print(f"错误：{message}", file=sys.stderr)
    if message_en and message_en != message:
        print(f"Error: {message_en}", file=sys.stderr)


def _say_json(message: str, message_en: str, code: str) -> None:
    print_json({"error": {"code": code, "message": message, "message_en": message_en or message}})
