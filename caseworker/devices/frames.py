"""The readers' serial frame protocol (GA 467 style, as USB readers speak it at 115200 baud).

Command: ``AA AA AA 96 69`` + length (2 bytes, big-endian: the bytes after it) + command +
parameter + checksum. Reply: the same header + length + three status bytes (SW1 SW2 SW3) +
data + checksum. The checksum is the XOR of every byte after the header but itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

HEADER = bytes.fromhex("AAAAAA9669")

# (command, parameter) of what we ask.
SAM_RESET = (0x10, 0xFF)
SAM_STATUS = (0x11, 0xFF)
SAM_ID = (0x12, 0xFF)
FIND = (0x20, 0x01)
SELECT = (0x20, 0x02)
READ_TEXT_PHOTO = (0x30, 0x01)
READ_LATEST_ADDRESS = (0x30, 0x03)

# SW3 status bytes.
DONE = 0x90
NO_CONTENT = 0x91  # e.g. no latest address written on the card
FOUND = 0x9F
STATUS_WORDS = {
    0x90: ("操作成功", "done"),
    0x91: ("无内容", "no content"),
    0x9F: ("找到卡片", "card found"),
    0x10: ("阅读器收到的数据校验和错", "the reader got a bad checksum"),
    0x11: ("阅读器收到的数据长度错", "the reader got a bad length"),
    0x21: ("阅读器不认识此命令", "the reader does not know the command"),
    0x23: ("越权操作", "operation not permitted"),
    0x24: ("无法识别的错误", "unrecognised error"),
    0x31: ("卡片认证阅读器失败", "the card did not accept the reader"),
    0x32: ("阅读器认证卡片失败", "the reader did not accept the card"),
    0x33: ("信息验证错误", "data verification failed"),
    0x40: ("无法识别的卡片类型", "unknown card type"),
    0x41: ("读卡失败", "reading the card failed"),
    0x47: ("取随机数失败", "getting a random number failed"),
    0x60: ("安全模块（SAM）自检失败", "the security module (SAM) failed its self-test"),
    0x66: ("安全模块（SAM）未经授权", "the security module (SAM) is not authorised"),
    0x80: ("没有找到卡片", "no card found"),
    0x81: ("选卡失败", "selecting the card failed"),
}


def checksum(body: bytes) -> int:
    return reduce(lambda a, b: a ^ b, body, 0)


def command_frame(command: int, parameter: int) -> bytes:
    body = bytes([0x00, 0x03, command, parameter])
    return HEADER + body + bytes([checksum(body)])


def reply_frame(status: int, data: bytes = b"", *, bad_checksum: bool = False) -> bytes:
    """A reply as a reader sends it (the simulator's side)."""
    length = 3 + len(data) + 1
    body = length.to_bytes(2, "big") + bytes([0x00, 0x00, status]) + data
    check = checksum(body) ^ (0xFF if bad_checksum else 0)
    return HEADER + body + bytes([check])


@dataclass(frozen=True)
class Reply:
    status: int
    data: bytes


class FrameError(Exception):
    """A reply that is not a whole, correct frame."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code  # "checksum", "incomplete", "header"


def parse_reply(frame: bytes) -> Reply:
    """A whole reply frame (header included) as status and data."""
    if not frame.startswith(HEADER) or len(frame) < len(HEADER) + 6:
        raise FrameError("header", f"not a reply frame: {frame[:12].hex(' ')}")
    body = frame[len(HEADER) : -1]
    length = int.from_bytes(body[:2], "big")
    if length != len(body) - 2 + 1:
        raise FrameError("incomplete", f"length says {length}, frame holds {len(body) - 1}")
    if checksum(body) != frame[-1]:
        raise FrameError("checksum", "checksum does not match")
    return Reply(status=body[4], data=bytes(body[5:]))


def status_words(status: int) -> tuple[str, str]:
    return STATUS_WORDS.get(status, ("未知状态", "unknown status"))
