"""The key file's errors: ``message`` is plain Chinese for the operator, ``message_en`` for logs."""

from __future__ import annotations


class KeyFileError(Exception):
    """Base error; ``message`` is plain Chinese for the operator, ``message_en`` for logs."""

    message = "密钥文件出错。"
    message_en = "Key file error."

    def __init__(self, message: str | None = None, message_en: str | None = None) -> None:
        self.message = message or type(self).message
        self.message_en = message_en or type(self).message_en
        super().__init__(self.message_en)


class WrongPassword(KeyFileError):
    message, message_en = "用户名或密码不正确。", "Wrong username or password."


class DamagedKeyFile(KeyFileError):
    message = "密钥文件已损坏，无法读取。请用恢复密钥或备份（同一文件夹中的 .bak 文件）恢复。"
    message_en = "The key file is damaged. Restore it with the recovery key or from the backup."


class KeyFileMissing(KeyFileError):
    message = "找不到密钥文件。请确认数据文件夹正确，或从备份恢复密钥文件。"
    message_en = "The key file is missing. Check the data folder, or restore it from a backup."


class KeyFileExists(KeyFileError):
    message, message_en = "密钥文件已存在，不会覆盖。", "The key file already exists."


class OperatorExists(KeyFileError):
    message, message_en = "该用户名已存在。", "That operator already exists."


class UnknownOperator(KeyFileError):
    message, message_en = "没有这个用户。", "No such operator."


class WrongRecoveryKey(KeyFileError):
    message = "恢复密钥不正确，请对照设置时打印的恢复密钥重新输入。"
    message_en = "The recovery key is not correct."


class WeakPassword(KeyFileError):
    message, message_en = "密码太简单。", "The password is too weak."


class InvalidUsername(KeyFileError):
    message = "用户名须为1到32个字符，不能含控制字符。"
    message_en = "A username has 1-32 characters and no control characters."


class WrongDatabaseKey(KeyFileError):
    message, message_en = "数据库密钥不匹配。", "That database key does not belong to this file."
