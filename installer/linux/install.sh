#!/bin/sh
# Install Caseworker for the current user, without root: the app into
# ~/.local/lib/caseworker, the command ~/.local/bin/caseworker, the menu entry and the icon
# under ~/.local/share. Run it again from a newer package to upgrade: the app folder is
# replaced, the data folder (~/.local/share/Caseworker) is never touched; the app backs the
# database up and migrates it the next time someone logs in.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-"$HOME/.local"}
lib="$prefix/lib/caseworker"
bin="$prefix/bin"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor"

[ -x "$here/caseworker/caseworker" ] || { echo "install.sh: run it from the unpacked package (caseworker/ is missing)" >&2; exit 1; }
if [ "$(id -u)" -eq 0 ] && [ -z "${PREFIX:-}" ]; then
  echo "install.sh: installs for one user; run it as that user, not as root" >&2
  exit 1
fi

# Check the new build before it replaces the old one: a broken download changes nothing.
"$here/caseworker/caseworker" --selftest >/dev/null 2>"$here/selftest.log" || {
  echo "install.sh: the self-test of this package failed (see $here/selftest.log); nothing was installed" >&2
  exit 1
}

mkdir -p "$prefix/lib" "$bin" "$apps" "$icons/scalable/apps" "$icons/256x256/apps"
rm -rf "$lib.new"
cp -R "$here/caseworker" "$lib.new"
rm -rf "$lib.old"
[ -d "$lib" ] && mv "$lib" "$lib.old"
mv "$lib.new" "$lib"
rm -rf "$lib.old"
ln -sf "$lib/caseworker" "$bin/caseworker"
cp "$here/caseworker.svg" "$icons/scalable/apps/caseworker.svg"
cp "$here/caseworker.png" "$icons/256x256/apps/caseworker.png"
sed "s#@BIN@#$lib/caseworker#" "$here/caseworker.desktop" > "$apps/caseworker.desktop"
cp "$here/uninstall.sh" "$lib/uninstall.sh"
chmod 755 "$lib/uninstall.sh"
command -v update-desktop-database >/dev/null && update-desktop-database "$apps" 2>/dev/null || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q "$icons" 2>/dev/null || true

echo "Caseworker $("$lib/caseworker" --version | cut -d' ' -f2) installed in $lib"
echo "Start it from the menu (社保经办), or run: $bin/caseworker"
case ":$PATH:" in *":$bin:"*) ;; *) echo "($bin is not on your PATH; add it to run caseworker by name)";; esac
