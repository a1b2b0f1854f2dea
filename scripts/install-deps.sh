#!/usr/bin/env bash
# Installs every system package the project needs, from the lists in scripts/deps/*.apt
# (one Debian package per line; '#' starts a comment). Each area of the project owns its list.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t packages < <(cat scripts/deps/*.apt | sed 's/#.*//' | tr -s ' \t' '\n' | sed '/^$/d' | sort -u)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# npm ships inside NodeSource's nodejs but is a separate Debian package: ask for it only when the
# command is missing (Debian's npm conflicts with NodeSource's nodejs).
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
