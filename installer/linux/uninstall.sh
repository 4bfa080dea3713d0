#!/bin/sh
# Remove Caseworker installed by install.sh for this user. The data folder
# (~/.local/share/Caseworker: the database, key file, backups) is kept: delete it yourself
# only once its data is safe elsewhere.
set -eu
prefix=${PREFIX:-"$HOME/.local"}
share="${XDG_DATA_HOME:-$HOME/.local/share}"
rm -f "$prefix/bin/caseworker" "$share/applications/caseworker.desktop"
rm -f "$share/icons/hicolor/scalable/apps/caseworker.svg" "$share/icons/hicolor/256x256/apps/caseworker.png"
rm -rf "$prefix/lib/caseworker"
echo "Caseworker removed; the data folder $share/Caseworker is kept."
