"""The frozen build, as `make build` makes it (installer.build, the same functions), in a
temporary folder: its self-test passes, it names its build, and the Linux package installs
for one user into a given home, starts from there, and uninstalls keeping the data folder.

Slow (PyInstaller takes minutes) but part of CI: the bundle is what the centres run. The
build's duration and the bundle's size are printed (`pytest -s` or the captured output).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from caseworker import __version__
from installer import build

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(2400),  # PyInstaller on a loaded 2-core runner
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux package"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[build.Built, Path]:
    root = tmp_path_factory.mktemp("frozen")
    made = build.build_app(root / "dist", root / "work")
    package = build.package_linux(made, root / "dist")
    size = build.folder_size(made.app_dir)
    print(
        f"\nfrozen build: {made.seconds:.0f} s ({made.cpu_seconds:.0f} s of CPU); bundle {size / 1e6:.0f} MB in "
        f"{sum(1 for _ in made.app_dir.rglob('*'))} files; package {package.stat().st_size / 1e6:.0f} MB"
    )
    return made, package


def _clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASEWORKER_", "PYTHON"))}
    return env | {"HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}


def test_the_frozen_app_passes_its_selftest_and_names_its_build(built, tmp_path: Path):
    made, _ = built
    home = tmp_path / "home"
    home.mkdir()
    env = _clean_env(home)
    # Away from the checkout: the frozen app must find everything inside its own folder.
    result = subprocess.run(
        [str(made.program), "--selftest"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout
    assert "FAIL" not in result.stderr
    # The self-test wrote nothing into the user's data folder (the platform's, under HOME).
    assert not [p for p in home.rglob("*") if "aseworker" in p.name]
    version = subprocess.run(
        [str(made.program), "--version"], capture_output=True, text=True, env=env, check=True
    ).stdout.strip()
    assert version.startswith(f"caseworker {__version__} (built 20"), version
    assert ", commit " in version or not (Path(build.ROOT) / ".git").exists()
    # Only the fonts whose licences allow it are shipped, each with its licence.
    fonts = sorted(p.name for p in (made.app_dir / "_internal" / "fonts").iterdir())
    assert fonts == [
        "1-wqy-microhei.LICENSE.txt",
        "1-wqy-microhei.ttc",
        "2-HanaMinB.LICENSE.txt",
        "2-HanaMinB.ttf",
    ]
    # What the client does not need stays out.
    internal = made.app_dir / "_internal"
    for absent in ("fastapi", "uvicorn", "psycopg", "pytest", "caseworker/upstream", "tests"):
        assert not (internal / absent).exists(), absent


def test_the_linux_package_installs_for_one_user_and_uninstalls_keeping_the_data(
    built, tmp_path: Path
):
    _, package = built
    with tarfile.open(package) as archive:
        names = archive.getnames()
        top = names[0].split("/")[0]
        for needed in ("install.sh", "uninstall.sh", "caseworker.desktop", "caseworker.svg"):
            assert f"{top}/{needed}" in names
        archive.extractall(tmp_path / "unpacked", filter="tar")
    home = tmp_path / "home"
    local = home / ".local"
    data = local / "share" / "Caseworker"
    data.mkdir(parents=True)
    (data / "caseworker.db").write_bytes(b"a centre's records")
    # As root (the test machine) install.sh asks for an explicit PREFIX: a user's install.
    env = _clean_env(home) | {"PREFIX": str(local), "XDG_DATA_HOME": str(local / "share")}
    installed = subprocess.run(
        ["sh", str(tmp_path / "unpacked" / top / "install.sh")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    desktop = (local / "share" / "applications" / "caseworker.desktop").read_text()
    assert f"Exec={local / 'lib' / 'caseworker' / 'caseworker'}" in desktop
    assert (local / "share" / "icons" / "hicolor" / "scalable" / "apps" / "caseworker.svg").exists()
    version = subprocess.run(
        [str(local / "bin" / "caseworker"), "--version"], capture_output=True, text=True, env=env
    )
    assert version.stdout.startswith(f"caseworker {__version__}"), version.stderr
    removed = subprocess.run(
        ["sh", str(local / "lib" / "caseworker" / "uninstall.sh")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert removed.returncode == 0, removed.stderr
    assert not (local / "lib" / "caseworker").exists()
    assert not (local / "bin" / "caseworker").exists()
    assert (data / "caseworker.db").read_bytes() == b"a centre's records"
