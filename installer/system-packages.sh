#!/usr/bin/env bash
# Debian packages the app and its tests need: CJK fonts, a virtual display for Qt, the X/GL
# libraries Qt's xcb plugin loads, and poppler-utils for reading printed PDFs back.
# Installs them when run as root on Debian/Ubuntu; otherwise prints what to install.
# `system-packages.sh docs` also installs what the documentation's screenshots need
# (LibreOffice, to render a spreadsheet the app writes); the tests do not need it.
set -euo pipefail

PACKAGES=(
  fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-uming
  fonts-hanazono  # HanaMin A/B: rare name characters in CJK extensions A–F
  xvfb xauth
  libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0
  poppler-utils
  cups cups-client printer-driver-cups-pdf
  gcc libc6-dev  # the tests build a small vendor-style card reader library for ctypes
)
if [ "${1:-}" = "docs" ]; then
  PACKAGES+=(libreoffice-calc-nogui)
fi

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Please install these Debian packages (as root):" >&2
  echo "  apt-get install ${missing[*]}" >&2
  exit 1
fi
