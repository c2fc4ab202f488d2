#!/usr/bin/env bash
# CPU profile of `ricochet analyze --threads 1 --quiet --format jsonl` over the bounce corpus, with
# the cost grouped by module (GMime, GLib, iconv, RE2, malloc, JSON output, ricochet's own code) and
# by pipeline stage (bench/perf_summary.py).
#
#   bash bench/profile.sh [--copies N] [--corpus DIR] [--callgrind] [--no-build] [--out DIR]
#
# Two profiles: "cold", one pass over the corpus (what a one-off `ricochet analyze` of a folder
# costs: the RE2 DFA is built while it runs), and "steady", the corpus passed --copies times (5) on
# the command line (the DFA warm, as in a long batch). perf samples cpu-clock with DWARF call graphs;
# where perf cannot run (no perf_event access), valgrind --tool=callgrind is used instead (also
# with --callgrind). The raw data stays in --out (default: a new folder under /tmp).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COPIES=5
CORPUS=
CALLGRIND=0
BUILD=1
OUT=
while (($#)); do
    case "$1" in
        --copies) COPIES=$2; shift 2 ;;
        --corpus) CORPUS=$2; shift 2 ;;
        --callgrind) CALLGRIND=1; shift ;;
        --no-build) BUILD=0; shift ;;
        --out) OUT=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "profile.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

if ((BUILD)); then
    (cd "$ROOT" && cmake --preset release >/dev/null && cmake --build build/release -j"$(nproc)" --target ricochet >/dev/null)
fi
RICOCHET="$ROOT/build/release/ricochet"
OUT=${OUT:-$(mktemp -d /tmp/ricochet-profile.XXXXXX)}
mkdir -p "$OUT"
if [[ -z $CORPUS ]]; then
    CORPUS="$ROOT/../shared/corpus/set-of-emails/maildir/bsd"
    if [[ ! -d $CORPUS ]]; then
        CORPUS="$OUT/corpus"
        /usr/bin/python3 "$ROOT/bench/gen.py" corpus "$CORPUS" "$ROOT"/tests/fixtures/messages/*.eml --copies 48 >/dev/null
    fi
fi

if ((!CALLGRIND)); then
    if ! command -v perf >/dev/null; then
        apt-get install -y -qq linux-perf >/dev/null 2>&1 || true
    fi
    if ! command -v perf >/dev/null || ! perf record -q -o "$OUT/probe.data" -- true >/dev/null 2>&1; then
        echo "# perf is not usable here: callgrind instead" >&2
        CALLGRIND=1
    fi
    rm -f "$OUT/probe.data"
fi
if ((CALLGRIND)) && ! command -v valgrind >/dev/null; then
    apt-get install -y -qq valgrind >/dev/null
fi

profile() {  # profile NAME COPIES
    local name=$1 k=$2 args=()
    for ((i = 0; i < k; i++)); do args+=("$CORPUS"); done
    local cmd=("$RICOCHET" analyze --threads 1 --quiet --format jsonl "${args[@]}")
    echo "=== $name: ricochet analyze --threads 1 --quiet --format jsonl, corpus x$k ($(find "$CORPUS" -type f | wc -l) files each)"
    if ((CALLGRIND)); then
        valgrind --tool=callgrind --callgrind-out-file="$OUT/$name.callgrind" "${cmd[@]}" >/dev/null 2>"$OUT/$name.log"
        callgrind_annotate --inclusive=yes "$OUT/$name.callgrind" 2>/dev/null | head -60
    else
        perf record -q -F 4999 -g --call-graph dwarf,16384 -o "$OUT/$name.data" -- "${cmd[@]}" >/dev/null 2>"$OUT/$name.log"
        perf script -i "$OUT/$name.data" -F period,ip,sym,dso --no-inline 2>/dev/null |
            /usr/bin/python3 "$ROOT/bench/perf_summary.py" --top 40
    fi
    echo
}

profile cold 1
profile steady "$COPIES"
echo "# raw profiles in $OUT"
