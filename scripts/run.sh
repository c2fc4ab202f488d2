#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine, builds the release binary and analyses the
# bundled example bounces: the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake --preset release -DRICOCHET_TESTS=OFF >/dev/null
cmake --build build/release -j"$(nproc)"
./build/release/ricochet analyze --format text examples/
