"""`caseworker card read`: read one ID card and print what it holds (setting up a desk,
support); `caseworker card simulate`: a simulated reader on a pseudo-terminal, for demos.

Nothing is written to the centre's store; the photo block is reported by its size only.
The reader modules are imported when a card command runs, never for other commands.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from caseworker.devices.card import CardKind
from caseworker.devices.reader import READER_KINDS, SERIAL

EXIT_NO_CARD = 3


def cmd_read(args: Any) -> int:
    from caseworker.devices.reader import ReaderError, open_reader

    try:
        reader = open_reader(args.kind, args.port, args.library, timeout=args.timeout)
        try:
            status = reader.check()
            card = reader.read_card()
        finally:
            reader.close()
    except ReaderError as error:
        if args.json:
            _json(
                {
                    "error": {
                        "code": error.code,
                        "message": error.message,
                        "message_en": error.message_en,
                    }
                }
            )
        else:
            print(f"错误：{error.message}\nError: {error.message_en}", file=sys.stderr)
        return 1
    if args.json:
        _json(
            {
                "reader": {"kind": status.kind, "port": status.port, "module": status.module},
                "card": card.as_dict() if card else None,
            }
        )
        return 0 if card else EXIT_NO_CARD
    print(f"读卡器 / reader: {status.kind} {status.port}  {status.module}")
    if card is None:
        print("读卡器上没有卡片。 No card on the reader.")
        return EXIT_NO_CARD
    for label, value in _lines(card.as_dict()):
        print(f"  {label:<28} {value}")
    return 0


_LABELS = (
    ("kind", "证件类型 kind"),
    ("id_number", "证件号码 ID number"),
    ("name", "姓名 name"),
    ("name_en", "英文姓名 English name"),
    ("sex", "性别 sex (GB/T 2261.1)"),
    ("ethnicity", "民族 ethnicity (GB 3304)"),
    ("nationality", "国籍 nationality"),
    ("birth_date", "出生 birth date"),
    ("address", "住址 address"),
    ("latest_address", "最新住址 latest address"),
    ("authority", "签发机关 issuing authority"),
    ("valid_from", "有效期起 valid from"),
    ("valid_to", "有效期止 valid to"),
    ("photo_bytes", "照片 photo (bytes, not decoded)"),
)


def _lines(values: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(label, values[key]) for key, label in _LABELS if values.get(key) not in ("", None)]


def _json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_simulate(args: Any) -> int:
    import threading

    from caseworker.cli.common import fail

    try:
        from caseworker.devices.simulator import SimulatedReader, demo_card
    except ImportError:  # termios and pseudo-terminals: not on Windows
        fail(
            "模拟读卡器需要伪终端，只能在 Linux 或 macOS 上运行。",
            "The simulated reader needs pseudo-terminals: Linux or macOS only.",
        )

    with SimulatedReader() as simulator:
        simulator.place(demo_card(CardKind(args.card)))
        print(f"模拟读卡器端口 / simulated reader port: {simulator.port}", flush=True)
        print("按 Ctrl+C 结束。 Ctrl+C to stop.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            return 0
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    card = commands.add_parser("card", help="ID card readers: read one card, or simulate a reader")
    verbs = card.add_subparsers(dest="card_command", metavar="VERB", required=True)
    read = verbs.add_parser("read", help="read the card on the reader and print what it holds")
    read.add_argument("--port", required=True, help="COM3, /dev/ttyUSB0, or 1001 for a library")
    read.add_argument(
        "--kind",
        default=SERIAL,
        choices=READER_KINDS,
        help="serial: the readers' frame protocol; sdtapi/termb: a vendor library (--library)",
    )
    read.add_argument("--library", help="the vendor library file (sdtapi.dll, termb.dll …)")
    read.add_argument("--timeout", type=float, default=1.0, help="seconds to wait for a reply")
    read.add_argument("--json", action="store_true")
    read.set_defaults(handler=cmd_read)
    simulate = verbs.add_parser("simulate", help="a simulated reader with a synthetic card (demos)")
    simulate.add_argument(
        "--card", default=CardKind.RESIDENT.value, choices=[kind.value for kind in CardKind]
    )
    simulate.set_defaults(handler=cmd_simulate)
