"""`caseworker settings show | set KEY VALUE`: every centre setting declared in
``services.centre_settings``, shown with its value in force and set through the same audited
service as the Settings page (``caseworker sync guardrails`` and ``caseworker print settings``
remain, for the settings they always showed)."""

from __future__ import annotations

import argparse
from typing import Any

from caseworker.cli.common import fail, open_session, print_json, user_option
from caseworker.services.centre_settings import CENTRE_SETTINGS
from caseworker.services.centre_settings_edit import (
    centre_settings_now,
    kind_of,
    parse_value,
    record_fields,
    save_setting,
    value_text,
)


def _show(session: Any, as_json: bool) -> int:
    states = centre_settings_now(session.database, session.actor)
    if as_json:
        print_json(
            [
                {"key": s.setting.key, "value": s.setting.dump(s.value), "may_change": s.may_change}
                for s in states
            ]
        )
        return 0
    for state in states:
        setting = state.setting
        print(f"{setting.key}  {setting.label} / {setting.label_en}")
        print(f"    {value_text(setting, state.value)} / {value_text(setting, state.value, True)}")
    if not all(state.may_change for state in states):
        print("（您的角色只能查看这些设置 / your role may only read these settings）")
    return 0


def cmd_show(args: Any) -> int:
    session = open_session(args)
    try:
        return _show(session, args.json)
    finally:
        session.close()


def _value_help(key: str) -> str:
    setting = CENTRE_SETTINGS[key]
    kind = kind_of(setting)
    if kind == "choice":
        return " | ".join(choice.value for choice in setting.choices)
    if kind == "record":
        return ",".join(part.name for part in record_fields(setting)) + " (or NAME=N,...)"
    return {"bool": "yes | no", "int": "N", "text": "TEXT ('' clears)"}[kind]


def cmd_set(args: Any) -> int:
    setting = CENTRE_SETTINGS.get(args.key)
    if setting is None:
        keys = ", ".join(CENTRE_SETTINGS)
        fail(
            f"没有名为“{args.key}”的中心设置；可用：{keys}。",
            f"No centre setting {args.key!r}; use one of {keys}.",
        )
    session = open_session(args)
    try:
        current = {
            s.setting.key: s.value for s in centre_settings_now(session.database, session.actor)
        }
        value = parse_value(setting, args.value, current[setting.key])
        save_setting(session.database, session.actor, setting, value)
        print(f"已保存 / saved: {setting.key}")
        return _show(session, as_json=False)
    finally:
        session.close()


def register(commands: argparse._SubParsersAction) -> None:
    settings = commands.add_parser("settings", help="the centre's settings (admins change them)")
    actions = settings.add_subparsers(dest="settings_command", required=True, metavar="ACTION")
    show = actions.add_parser("show", help="every centre setting and its value")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_show)
    change = actions.add_parser(
        "set",
        help="set one centre setting (audited); values: "
        + "; ".join(f"{key}: {_value_help(key)}" for key in CENTRE_SETTINGS),
    )
    change.add_argument("key", metavar="KEY", help=", ".join(CENTRE_SETTINGS))
    change.add_argument("value", metavar="VALUE")
    change.set_defaults(handler=cmd_set)
    for parser in (show, change):
        user_option(parser)
