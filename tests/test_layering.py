"""The layering, enforced: read every source file's imports (``ast``, no importing) and fail
naming the file, the line and the import that breaks a rule; then import the core in a
fresh interpreter and check that no Qt came with it.

- The core (domain, store, services, printing, sync, upstream, devices and the shared top-level
  modules) never imports a Qt binding: the CLI and the county server run without one.
- domain depends on nothing of ours; store not on services or sync; services not on sync
  (the sync use cases live in sync/, which may call services); nothing below the UI on it.
- The county server (upstream) reads the wire protocol and the pure wire table, never the
  client's store models, services or sync machinery. ``store.sessions`` (the transaction
  helper) and ``dbtypes`` are shared on purpose.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "caseworker"
QT_BINDINGS = ("PySide6", "PySide2", "PyQt6", "PyQt5", "shiboken6", "shiboken2", "qtpy")
CORE = ("domain", "store", "services", "printing", "sync", "upstream", "devices")
SHARED_MODULES = ("caseworker.paths", "caseworker.logs", "caseworker.dbtypes")


@dataclass(frozen=True)
class Rule:
    layer: str  # "caseworker.services": the package (or module) the rule is about
    forbidden: tuple[str, ...]  # module prefixes it must not import
    allowed: tuple[str, ...] = ()  # exceptions to ``forbidden``
    why: str = ""


RULES = [
    *(Rule(f"caseworker.{layer}", QT_BINDINGS, why="the core never imports Qt") for layer in CORE),
    *(Rule(module, QT_BINDINGS, why="the core never imports Qt") for module in SHARED_MODULES),
    Rule(
        "caseworker.domain",
        ("caseworker",),
        allowed=("caseworker.domain", "caseworker.resources"),
        why="domain depends on nothing of ours",
    ),
    Rule(
        "caseworker.store",
        tuple(f"caseworker.{p}" for p in ("services", "sync", "printing", "upstream", "ui", "cli")),
        why="the store is below the use cases",
    ),
    Rule(
        "caseworker.services",
        ("caseworker.sync", "caseworker.upstream", "caseworker.ui", "caseworker.cli"),
        why="services do not import sync (sync's use cases live in sync/) nor the UI",
    ),
    Rule(
        "caseworker.printing",
        tuple(f"caseworker.{p}" for p in ("services", "sync", "upstream", "ui", "cli")),
        why="printing turns plain data into PDFs",
    ),
    Rule(
        "caseworker.sync",
        ("caseworker.upstream", "caseworker.ui", "caseworker.cli"),
        why="the client's sync knows the county only through the protocol",
    ),
    Rule(
        "caseworker.upstream",
        tuple(
            f"caseworker.{p}" for p in ("store", "services", "sync", "printing", "ui", "cli", "app")
        ),
        allowed=("caseworker.store.sessions", "caseworker.sync.protocol"),
        why="the county server does not use the client's models, services or sync machinery",
    ),
    Rule(
        "caseworker.devices",
        ("caseworker",),
        allowed=("caseworker.devices", "caseworker.domain", "caseworker.resources"),
        why="devices read cards and know only the domain (the UI and CLI decide what to do)",
    ),
    *(
        Rule(module, ("caseworker",), allowed=("caseworker.domain",), why="shared and neutral")
        for module in ("caseworker.dbtypes", "caseworker.logs", "caseworker.paths")
    ),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, relative ones resolved, nested ones too."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # ``from caseworker import services`` imports caseworker.services
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def violations(files: list[Path]) -> list[str]:
    problems: dict[tuple[Path, int, str], str] = {}
    for path in files:
        here = module_name(path)
        rules = [r for r in RULES if _within(here, r.layer)]
        for line, module in imports_of(path):
            for rule in rules:
                if _within(module, rule.layer):
                    continue  # a layer may import itself
                if any(_within(module, f) for f in rule.forbidden) and not any(
                    _within(module, a) for a in rule.allowed
                ):
                    # The module named first on a line: "from x import y" is about x.
                    problems.setdefault((path.relative_to(ROOT), line, rule.why), module)
    return sorted(
        f"{where}:{line} imports {m}: {why}" for (where, line, why), m in problems.items()
    )


def source_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_source_keeps_the_layering():
    problems = violations(source_files())
    assert not problems, "layering broken:\n" + "\n".join(problems)


def test_the_check_finds_what_it_looks_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Planted breaches, each one named with its file and import."""
    fake = tmp_path / "caseworker"
    planted = {
        "services/leak.py": "from caseworker.sync.pull import apply_registry_page\n",
        "store/qt.py": "def f():\n    from PySide6.QtCore import QObject\n",
        "upstream/models2.py": "from ..store.models import Person\n",
        "upstream/svc.py": "from caseworker import services\n",
        "upstream/fine.py": "from caseworker.store.sessions import Transactions\n"
        "from caseworker.sync.protocol import Record\nfrom caseworker.domain.wire import SHAPES\n",
        "domain/up.py": "import caseworker.store.models\n",
    }
    for name, text in planted.items():
        (fake / name).parent.mkdir(parents=True, exist_ok=True)
        (fake / name).write_text(text)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    found = violations(sorted(fake.rglob("*.py")))
    assert found == [
        "caseworker/domain/up.py:1 imports caseworker.store.models: domain depends on nothing "
        "of ours",
        "caseworker/services/leak.py:1 imports caseworker.sync.pull: services do not import "
        "sync (sync's use cases live in sync/) nor the UI",
        "caseworker/store/qt.py:2 imports PySide6.QtCore: the core never imports Qt",
        "caseworker/upstream/models2.py:1 imports caseworker.store.models: the county server "
        "does not use the client's models, services or sync machinery",
        "caseworker/upstream/svc.py:1 imports caseworker.services: the county server does not "
        "use the client's models, services or sync machinery",
    ]


def test_importing_the_core_loads_no_qt_and_the_county_no_client_models():
    """At run time too: every module of services, sync and upstream, in a fresh interpreter."""
    script = """
import importlib, json, pkgutil, sys
import caseworker.services, caseworker.sync, caseworker.upstream
for package in (caseworker.services, caseworker.sync, caseworker.upstream):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if ".migrations" not in info.name:
            importlib.import_module(info.name)
print(json.dumps(sorted(sys.modules)))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    qt = [m for m in loaded if m.split(".")[0] in QT_BINDINGS]
    assert not qt, f"importing the core loaded {qt}"

    county = """
import importlib, json, pkgutil, sys
import caseworker.upstream
for info in pkgutil.walk_packages(caseworker.upstream.__path__, "caseworker.upstream."):
    if ".migrations" not in info.name:
        importlib.import_module(info.name)
print(json.dumps(sorted(m for m in sys.modules if m.startswith("caseworker."))))
"""
    result = subprocess.run(
        [sys.executable, "-c", county], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    client_parts = [
        m
        for m in json.loads(result.stdout)
        if _within(m, "caseworker.store.models")
        or _within(m, "caseworker.services")
        or _within(m, "caseworker.ui")
    ]
    assert not client_parts, f"the county server loaded {client_parts}"


def test_one_wire_table_for_every_entity():
    """Client store, protocol and county agree on the entity types."""
    from caseworker.domain.wire import ENTITY_TYPES, SHAPES
    from caseworker.store.wire import WIRE
    from caseworker.sync import protocol
    from caseworker.upstream.apply import APPLIERS
    from caseworker.upstream.apply_stores import TABLES

    assert protocol.ENTITY_TYPES is ENTITY_TYPES
    assert set(WIRE) == set(SHAPES) == set(APPLIERS) == set(TABLES) == set(ENTITY_TYPES)
    for kind, wire in WIRE.items():
        columns = set(wire.model.__table__.columns.keys())
        assert set(wire.fields) <= columns, f"{kind}: {set(wire.fields) - columns}"
