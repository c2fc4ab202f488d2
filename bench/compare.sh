#!/usr/bin/env bash
# Whole-process comparison of ricochet with its peers, Sisimai (Perl, Debian's libsisimai-perl) and
# flufl.bounce (Python, python3-flufl.bounce), on the same files; plus ricochet alone on large inputs.
#
#   bash bench/compare.sh [--runs N] [--repeat N] [--peer-runs N] [--no-huge] [--huge-gb N]
#                         [--big-mb N] [--corpus DIR | --generated-corpus] [--no-install] [--no-build]
#
# What it measures (every figure is the whole process: start-up, reading, analysis, output):
#   corpus      the directory of bounces: ../shared/corpus/set-of-emails/maildir/bsd when present,
#               else (or with --generated-corpus) a stand-in generated from
#               tests/fixtures/messages/*.eml, the addresses varied per copy. ricochet `analyze
#               --threads 1 --quiet --format jsonl`, Sisimai->make (->rise on 5.x) over the folder,
#               flufl.bounce.scan_message per file. Median of --runs runs (5).
#   mbox-Nx     the corpus repeated --repeat times (20) as one mbox in the temporary folder: the same
#               three tools (the peers --peer-runs times, default --runs; 0 skips them), and ricochet
#               with --threads 2 for the scaling line.
#   bigmsg      one bounce of --big-mb MB (100) whose attached original carries a base64 attachment:
#               ricochet with its default limits (the first 64 MiB are read, the rest skipped, and the
#               records say so in `warnings`), ricochet with --max-message-bytes above the size,
#               and the peers.
#   huge        (--no-huge skips) the corpus repeated to --huge-gb GB (2) as one mbox, analysed once
#               with --threads 2: peak RSS against the 100 MB target. The file is deleted afterwards.
# Emails/s counts the messages in the input; MB/s is 10^6 input bytes per second; peak RSS is the
# largest over the runs of: what /usr/bin/time -v reports, and the whole process tree's RSS sampled
# every 20 ms (ricochet --threads N counts its N worker processes). "records=" is what
# each tool found (ricochet: JSON lines; Sisimai: records; flufl: bouncing addresses): a sanity check,
# not a score. BENCH_TMP (default: a new folder under /tmp) holds the generated inputs. The binary is
# build/release/ricochet (configured with the release preset; only the ricochet target is built).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
PY=/usr/bin/python3
RUNS=5
REPEAT=20
PEER_RUNS=
HUGE=1
HUGE_GB=2
BIG_MB=100
CORPUS=
GENERATED=0
INSTALL=1
BUILD=1

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
while (($#)); do
    case "$1" in
        --runs) RUNS=$2; shift 2 ;;
        --repeat) REPEAT=$2; shift 2 ;;
        --peer-runs) PEER_RUNS=$2; shift 2 ;;
        --huge) HUGE=1; shift ;;
        --no-huge) HUGE=0; shift ;;
        --huge-gb) HUGE_GB=$2; shift 2 ;;
        --big-mb) BIG_MB=$2; shift 2 ;;
        --corpus) CORPUS=$2; shift 2 ;;
        --generated-corpus) GENERATED=1; shift ;;
        --no-install) INSTALL=0; shift ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "compare.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done
PEER_RUNS=${PEER_RUNS:-$RUNS}

log() { echo "# $*" >&2; }

# --- peers and tools ---------------------------------------------------------------------------
if ((INSTALL)); then
    need=()
    perl -MSisimai -e 1 2>/dev/null || need+=(libsisimai-perl)
    "$PY" -c 'import flufl.bounce' 2>/dev/null || need+=(python3-flufl.bounce)
    [[ -x /usr/bin/time ]] || need+=(time)
    command -v cmake >/dev/null || need+=(cmake)
    if ((${#need[@]})); then
        SUDO=; [[ $(id -u) -ne 0 ]] && SUDO=sudo
        log "installing ${need[*]}"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
    fi
fi
HAVE_SISIMAI=0; perl -MSisimai -e 1 2>/dev/null && HAVE_SISIMAI=1
HAVE_FLUFL=0; "$PY" -c 'import flufl.bounce' 2>/dev/null && HAVE_FLUFL=1
[[ -x /usr/bin/time ]] || { echo "compare.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

# --- the release binary ------------------------------------------------------------------------
RICOCHET="$ROOT/build/release/ricochet"
if ((BUILD)); then
    log "building $RICOCHET"
    (cd "$ROOT" && cmake --preset release >/dev/null && cmake --build build/release -j"$(nproc)" --target ricochet >/dev/null)
fi
[[ -x $RICOCHET ]] || { echo "compare.sh: $RICOCHET is missing" >&2; exit 1; }

# --- inputs --------------------------------------------------------------------------------------
TMP=${BENCH_TMP:-$(mktemp -d /tmp/ricochet-bench.XXXXXX)}
mkdir -p "$TMP"
HUGE_FILE=
cleanup() {
    [[ -n $HUGE_FILE ]] && rm -f "$HUGE_FILE"
    [[ -z ${BENCH_TMP:-} ]] && rm -rf "$TMP"
    return 0
}
trap cleanup EXIT

if [[ -z $CORPUS ]]; then
    CORPUS="$ROOT/../shared/corpus/set-of-emails/maildir/bsd"
    if ((GENERATED)) || [[ ! -d $CORPUS ]]; then
        CORPUS="$TMP/corpus"
        log "public corpus absent: generating a stand-in from tests/fixtures/messages/*.eml"
        "$PY" "$BENCH/gen.py" corpus "$CORPUS" "$ROOT"/tests/fixtures/messages/*.eml --copies 48 >/dev/null
    fi
fi
CORPUS=$(cd "$CORPUS" && pwd)
N_CORPUS=$(find "$CORPUS" -type f | wc -l)
B_CORPUS=$(find "$CORPUS" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')

RESULTS="$TMP/results.jsonl"
: >"$RESULTS"
measure() {  # measure CASE TOOL MESSAGES BYTES RUNS -- COMMAND...
    local c=$1 t=$2 n=$3 b=$4 r=$5
    shift 6
    "$PY" "$BENCH/measure.py" run --results "$RESULTS" --case "$c" --tool "$t" --messages "$n" --bytes "$b" --runs "$r" -- "$@"
}
peers() {  # peers CASE MESSAGES BYTES RUNS PATH
    local c=$1 n=$2 b=$3 r=$4 p=$5
    ((r > 0)) || { echo "$c: peers not measured (--peer-runs 0)"; return 0; }
    if ((HAVE_SISIMAI)); then
        measure "$c" sisimai "$n" "$b" "$r" -- perl "$BENCH/sisimai_count.pl" "$p"
    else
        echo "$c: sisimai not installed"
    fi
    if ((HAVE_FLUFL)); then
        measure "$c" flufl "$n" "$b" "$r" -- "$PY" "$BENCH/flufl_count.py" "$p"
    else
        echo "$c: flufl.bounce not installed"
    fi
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ricochet: $RICOCHET ($(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$ROOT" && git diff --quiet HEAD -- src include tools 2>/dev/null || echo '+local changes'))"
echo "peers: Sisimai $(perl -MSisimai -e 'print Sisimai->version' 2>/dev/null || echo absent), flufl.bounce $(dpkg-query -W -f='${Version}' python3-flufl.bounce 2>/dev/null || echo absent)"
echo "corpus: $CORPUS: $N_CORPUS files, $B_CORPUS bytes"
if awk -v n="$(nproc)" '{exit !($1 > n / 2)}' /proc/loadavg; then
    echo "warning: the machine is busy (load average $(cut -d' ' -f1 /proc/loadavg)): wall times and scaling are noisy; cpu times less so"
fi
echo

# 1. The corpus directory: the three tools on the same files.
RICO=("$RICOCHET" analyze --quiet --format jsonl)
measure corpus ricochet "$N_CORPUS" "$B_CORPUS" "$RUNS" -- "${RICO[@]}" --threads 1 "$CORPUS"
peers corpus "$N_CORPUS" "$B_CORPUS" "$PEER_RUNS" "$CORPUS"
"$PY" "$BENCH/measure.py" ratios --results "$RESULTS" --case corpus
echo

# 2. The corpus repeated as one mbox.
MBOX="$TMP/corpus-${REPEAT}x.mbox"
read -r N_MBOX B_MBOX < <("$PY" "$BENCH/gen.py" mbox "$MBOX" "$CORPUS" --repeat "$REPEAT")
CASE="mbox-${REPEAT}x"
# --threads 1 and --threads 2 alternate run by run, so that both see the same machine.
"$PY" "$BENCH/measure.py" run --results "$RESULTS" --case "$CASE" --tool ricochet --messages "$N_MBOX" --bytes "$B_MBOX" \
    --runs "$RUNS" --alt 1,2 --alt-cases "$CASE,$CASE-t2" -- "${RICO[@]}" --threads '{}' "$MBOX"
peers "$CASE" "$N_MBOX" "$B_MBOX" "$PEER_RUNS" "$MBOX"
"$PY" "$BENCH/measure.py" ratios --results "$RESULTS" --case "$CASE"
"$PY" "$BENCH/measure.py" scaling --results "$RESULTS" --case1 "$CASE" --case2 "$CASE-t2"
rm -f "$MBOX"
echo

# 3. One bounce of ~100 MB (a base64 attachment in the attached original).
BIG="$TMP/bigmsg.eml"
B_BIG=$("$PY" "$BENCH/gen.py" bigmsg "$BIG" --mb "$BIG_MB")
BIG_RUNS=$((RUNS < 3 ? RUNS : 3))
measure "bigmsg-${BIG_MB}MB" ricochet "1" "$B_BIG" "$BIG_RUNS" -- "${RICO[@]}" --threads 1 "$BIG"
measure "bigmsg-${BIG_MB}MB" ricochet-nolimit "1" "$B_BIG" "$BIG_RUNS" -- "${RICO[@]}" --threads 1 \
    --max-message-bytes $((B_BIG + 1048576)) "$BIG"
peers "bigmsg-${BIG_MB}MB" 1 "$B_BIG" "$((PEER_RUNS < BIG_RUNS ? PEER_RUNS : BIG_RUNS))" "$BIG"
rm -f "$BIG"
echo

# 4. A ~2 GB mbox: memory stays bounded (target: peak RSS < 100 MB).
if ((HUGE)); then
    HUGE_FILE="$TMP/corpus-${HUGE_GB}GB.mbox"
    read -r N_HUGE B_HUGE < <("$PY" "$BENCH/gen.py" mbox "$HUGE_FILE" "$CORPUS" --target-bytes $((HUGE_GB * 1000000000)))
    measure "huge-${HUGE_GB}GB" ricochet "$N_HUGE" "$B_HUGE" 1 -- "${RICO[@]}" --threads 2 "$HUGE_FILE"
    rm -f "$HUGE_FILE"
    HUGE_FILE=
    "$PY" - "$RESULTS" "huge-${HUGE_GB}GB" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
r = [x for x in rows if x["case"] == sys.argv[2]][-1]
mb = r["peak_rss_kb"] / 1024
print("%-12s peak RSS %.1f MB for %.2f GB of mbox: %s (target < 100 MB)"
      % (sys.argv[2], mb, r["bytes"] / 1e9, "PASS" if mb < 100 else "FAIL"))
EOF
fi
