#!/usr/bin/env bash
# Installs the Debian 12 packages ricochet builds and tests with (run as root; idempotent).
set -euo pipefail
pkgs=(build-essential cmake pkg-config ninja-build clang libclang-rt-14-dev
      libgmime-3.0-dev libre2-dev libcli11-dev nlohmann-json3-dev
      libgtest-dev libgmock-dev libbenchmark-dev python3)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
