"""The frozen build: PyInstaller over installer/caseworker.spec, then the Linux package.

`make build` runs ``python -m installer.build``; the slow test (tests/installer) calls the same
``build_app`` and ``package_linux`` into a temporary folder. Windows packages the same one-folder
build with Inno Setup (installer/windows/caseworker.iss), run where Windows is.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "installer" / "caseworker.spec"
LINUX = ROOT / "installer" / "linux"

# Fonts bundled because their licences allow redistribution, with the licence beside them:
# - WenQuanYi Micro Hei (Apache-2.0, or GPL-3+ with the font exception), 5 MB: the common
#   characters of names, in a Hei face like the forms';
# - HanaMin B (SIL OFL 1.1 or the Hanazono font licence), 31 MB: CJK Extensions B–F, the rare
#   characters some names have (𠮷 𡒄 𬱖 …), which Windows' SimSun-ExtB covers only in part.
# AR PL UMing (Arphic Public License, 21 MB) and HanaMin A (23 MB) may be shipped too but add
# little the two above do not; the app uses them from the system where they are installed.
# Windows' own SimSun / Microsoft YaHei may not be redistributed and are never bundled.
BUNDLED_FONTS = (
    (
        "wqy-microhei.ttc",
        (
            Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
            Path("/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc"),
        ),
        Path("/usr/share/doc/fonts-wqy-microhei/copyright"),
    ),
    (
        "HanaMinB.ttf",
        (Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"),),
        Path("/usr/share/doc/fonts-hanazono/copyright"),
    ),
)


@dataclass(frozen=True)
class Built:
    app_dir: Path  # the one-folder app: app_dir / "caseworker" is the program
    seconds: float  # how long PyInstaller took (wall clock)
    cpu_seconds: float  # its processes' user + system time: the wall time on an idle machine

    @property
    def program(self) -> Path:
        return self.app_dir / ("caseworker.exe" if os.name == "nt" else "caseworker")


def version() -> str:
    """caseworker/__init__.py's version, read as text (the build need not import the app)."""
    for line in (ROOT / "caseworker" / "__init__.py").read_text(encoding="utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise RuntimeError("no __version__ in caseworker/__init__.py")


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def commit() -> str:
    """The checkout's commit, with "+changes" when the tree differs from it; "" without git."""
    try:
        head = _git("rev-parse", "--short=12", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return ""
    return head + ("+changes" if dirty else "")


def write_build_info(folder: Path) -> Path:
    """caseworker_build.py: what caseworker.buildinfo reports in the frozen app."""
    folder.mkdir(parents=True, exist_ok=True)
    built_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    module = folder / "caseworker_build.py"
    module.write_text(
        '"""Written by installer/build.py when the app was frozen."""\n\n'
        f"VERSION = {version()!r}\nBUILT_AT = {built_at!r}\nCOMMIT = {commit()!r}\n",
        encoding="utf-8",
    )
    return module


def gather_fonts(folder: Path) -> list[str]:
    """Copy the redistributable fonts found on this machine, each with its licence."""
    shutil.rmtree(folder, ignore_errors=True)  # the spec bundles all the folder holds
    folder.mkdir(parents=True)
    found: list[str] = []
    for order, (name, candidates, licence) in enumerate(BUNDLED_FONTS, start=1):
        source = next((path for path in candidates if path.is_file()), None)
        if source is None:
            print(f"build: {name} not found on this machine; not bundled", file=sys.stderr)
            continue
        # Numbered: the app tries the bundled fonts in the order of their names.
        target = folder / f"{order}-{name}"
        shutil.copyfile(source, target)
        if licence.is_file():
            shutil.copyfile(licence, folder / f"{target.stem}.LICENSE.txt")
        found.append(target.name)
    return found


def build_app(dist: Path, work: Path) -> Built:
    """PyInstaller's one-folder build into ``dist / "caseworker"``."""
    info, fonts = work / "buildinfo", work / "fonts"
    write_build_info(info)
    gather_fonts(fonts)
    env = dict(os.environ, CASEWORKER_BUILD_INFO=str(info), CASEWORKER_FONTS=str(fonts))
    started, cpu = time.monotonic(), _children_cpu()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level=WARN",
            f"--distpath={dist}",
            f"--workpath={work / 'pyinstaller'}",
            str(SPEC),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return Built(dist / "caseworker", time.monotonic() - started, _children_cpu() - cpu)


def _children_cpu() -> float:
    if os.name == "nt":
        return 0.0  # no resource module; the wall clock is what Windows builds report
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def folder_size(folder: Path) -> int:
    """Bytes on disk, each file once (the bundle's symlinks are not followed)."""
    return sum(
        path.lstat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def package_linux(built: Built, out: Path) -> Path:
    """caseworker-VERSION-linux-x86_64.tar.gz: the app folder, the icon, the .desktop file
    and install.sh (per user, into ~/.local; no root)."""
    name = f"caseworker-{version()}-linux-{os.uname().machine}"
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{name}.tar.gz"
    extras = {
        "install.sh": LINUX / "install.sh",
        "uninstall.sh": LINUX / "uninstall.sh",
        "caseworker.desktop": LINUX / "caseworker.desktop",
        "caseworker.svg": ROOT / "resources" / "icons" / "caseworker.svg",
        "caseworker.png": ROOT / "resources" / "icons" / "caseworker.png",
    }

    def executable(info: tarfile.TarInfo) -> tarfile.TarInfo:
        if info.name.endswith(".sh"):
            info.mode = 0o755
        return info

    with tarfile.open(target, "w:gz", compresslevel=6) as archive:
        archive.add(built.app_dir, arcname=f"{name}/caseworker")
        for arcname, source in extras.items():
            archive.add(source, arcname=f"{name}/{arcname}", filter=executable)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="freeze the app and package it")
    parser.add_argument("--dist", default="dist", help="where the app folder and package go")
    parser.add_argument("--work", default="build", help="PyInstaller's scratch folder")
    parser.add_argument("--no-package", action="store_true", help="the app folder only")
    args = parser.parse_args(argv)
    dist, work = Path(args.dist).resolve(), Path(args.work).resolve()
    built = build_app(dist, work)
    print(
        f"build: {built.app_dir} ({folder_size(built.app_dir) / 1e6:.0f} MB) "
        f"in {built.seconds:.0f} s ({built.cpu_seconds:.0f} s of CPU)"
    )
    if not args.no_package and sys.platform.startswith("linux"):
        package = package_linux(built, dist)
        print(f"build: {package} ({package.stat().st_size / 1e6:.0f} MB)")
    elif sys.platform == "win32":
        print("build: now compile installer/windows/caseworker.iss with Inno Setup (README)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
