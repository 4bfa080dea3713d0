"""Code tables (ethnic group, sex, relationship ...) read from ``resources/codes/*.json``.

The tables are reference data: their content lives in the JSON files, never here, so a
new edition of a standard or a table delivered by upstream replaces a file, not code.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from caseworker.domain.errors import InvalidValue
from caseworker.resources import load_json, resource_path

_CODES_DIR = "codes"
# Keys of an entry that become attributes; everything else goes into ``extra``.
_ENTRY_KEYS = ("code", "name_zh", "name_en")


@dataclass(frozen=True)
class CodeEntry:
    code: str
    name_zh: str
    name_en: str
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def name(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" else self.name_zh

    @property
    def aliases_zh(self) -> tuple[str, ...]:
        """Other spellings seen on forms (older official names, colloquial names)."""
        return tuple(self.extra.get("aliases_zh") or ())


class CodeTable:
    """One code table, entries in the order the standard lists them."""

    def __init__(
        self,
        name: str,
        title_zh: str,
        title_en: str,
        entries: list[CodeEntry],
        *,
        standard: str | None = None,
        version: str | None = None,
        note: str | None = None,
    ) -> None:
        self.name = name
        self.title_zh = title_zh
        self.title_en = title_en
        self.standard = standard
        self.version = version
        self.note = note
        self.entries: tuple[CodeEntry, ...] = tuple(entries)
        self._by_code: dict[str, CodeEntry] = {}
        for entry in self.entries:
            if entry.code in self._by_code:
                raise ValueError(f"code table {name}: duplicate code {entry.code!r}")
            self._by_code[entry.code] = entry
        # Official names win over aliases when both match, so index aliases first.
        self._by_name: dict[str, CodeEntry] = {}
        for entry in self.entries:
            for alias in entry.aliases_zh:
                self._by_name.setdefault(alias, entry)
        for entry in self.entries:
            self._by_name[entry.name_zh] = entry

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CodeTable:
        """Build a table from the JSON shape (a shipped file or upstream reference data)."""
        try:
            name = str(data["table"])
            raw_entries = data["entries"]
        except KeyError as exc:
            raise ValueError(f"code table data lacks {exc.args[0]!r}") from None
        entries = []
        for raw in raw_entries:
            extra = {k: v for k, v in raw.items() if k not in _ENTRY_KEYS}
            entries.append(
                CodeEntry(
                    code=str(raw["code"]),
                    name_zh=str(raw["name_zh"]),
                    name_en=str(raw.get("name_en") or ""),
                    extra=MappingProxyType(extra),
                )
            )
        return cls(
            name,
            str(data.get("title_zh") or name),
            str(data.get("title_en") or name),
            entries,
            standard=data.get("standard"),
            version=data.get("version"),
            note=data.get("note"),
        )

    def get(self, code: str) -> CodeEntry:
        try:
            return self._by_code[str(code).strip()]
        except KeyError:
            raise InvalidValue(
                field=self.name,
                code="unknown_code",
                message=f"“{code}”不是有效的{self.title_zh}代码，请从列表中选择。",
            ) from None

    def label(self, code: str, lang: str = "zh") -> str:
        return self.get(code).name(lang)

    def find_by_name(self, name_zh: str) -> CodeEntry | None:
        """Entry whose Chinese name or alias is ``name_zh`` (e.g. 毛难族 finds 毛南族)."""
        return self._by_name.get(name_zh.strip())

    def codes(self) -> list[str]:
        return [entry.code for entry in self.entries]

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.strip() in self._by_code

    def __iter__(self) -> Iterator[CodeEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:
        return f"CodeTable({self.name!r}, {len(self.entries)} entries)"


def _is_code_table(data: Any) -> bool:
    return isinstance(data, dict) and "table" in data and isinstance(data.get("entries"), list)


@cache
def code_table_names() -> list[str]:
    """Names of the shipped code tables; other JSON there (surname readings) is skipped."""
    names = []
    for path in sorted(resource_path(_CODES_DIR).glob("*.json")):
        if _is_code_table(load_json(_CODES_DIR, path.name)):
            names.append(path.stem)
    return names


@cache
def load_code_table(name: str) -> CodeTable:
    if not name.replace("_", "").isalnum():  # a table name, never a path
        raise ValueError(f"bad code table name {name!r}")
    data = load_json(_CODES_DIR, f"{name}.json")
    if not _is_code_table(data):
        raise ValueError(f"{name}.json is not a code table")
    return CodeTable.from_dict(data)


def label_or_code(table: str, code: str, lang: str = "zh") -> str:
    """The code's name in a shipped table, or the code itself when the table lacks it."""
    try:
        return load_code_table(table).label(code, lang)
    except InvalidValue:
        return code


class CodeTables(Mapping[str, CodeTable]):
    """All code tables by name; shipped tables load lazily, delivered ones override them."""

    def __init__(self, overrides: Mapping[str, CodeTable] | None = None) -> None:
        self._overrides = dict(overrides or {})

    @classmethod
    def from_dicts(cls, tables: list[Mapping[str, Any]]) -> CodeTables:
        loaded = [CodeTable.from_dict(t) for t in tables]
        return cls({t.name: t for t in loaded})

    def __getitem__(self, name: str) -> CodeTable:
        if name in self._overrides:
            return self._overrides[name]
        if name in code_table_names():
            return load_code_table(name)
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(set(code_table_names()) | set(self._overrides)))

    def __len__(self) -> int:
        return len(set(code_table_names()) | set(self._overrides))
