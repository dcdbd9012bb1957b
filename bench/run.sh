#!/usr/bin/env bash
# Benchmark: rupture against the floor of any lexicon tool (ripgrep counting the same lexicon's
# literal phrases over the same corpus) and against what a researcher uses today (the VADER peer),
# on a corpus of real-transcript sessions. Prints throughput, peak memory and ratios.
#
# usage: bench/run.sh [SESSIONS]        (default 20000; the memory check also runs 100000)
# needs: ../shared/bench (make_corpus.py, vader_peer.py); installs ripgrep and vaderSentiment if absent.
# The outputs of every run are kept until the end (see run below): about 5 GB free in $WORK.
set -euo pipefail
cd "$(dirname "$0")/.."
SESSIONS=${1:-20000}
BIG=100000
SHARED=${SHARED:-../shared}
WORK=${WORK:-$(mktemp -d)}
trap 'rm -rf "$WORK"' EXIT

command -v rg >/dev/null || { apt-get update -q && apt-get install -y -q ripgrep; } >/dev/null
python3 -c 'import vaderSentiment' 2>/dev/null || pip install -q vaderSentiment >/dev/null
cargo build --release -q
BIN=target/release/rupture

python3 "$SHARED/bench/make_corpus.py" "$WORK/corpus" "$SESSIONS" >/dev/null
MB=$(du -sm --apparent-size "$WORK/corpus" | cut -f1)
BYTES=$(du -sb --apparent-size "$WORK/corpus" | cut -f1)

# The lexicon's literal phrases, one a line, for ripgrep.
python3 - "$WORK/phrases.txt" <<'PY'
import sys, tomllib, glob
phrases = set()
for f in glob.glob("lexicons/*.toml"):
    for e in tomllib.load(open(f, "rb")).get("entry", []):
        if e["class"] not in ("stopword", "filler"):
            phrases.update(p.lower() for p in e.get("phrases", []))
open(sys.argv[1], "w").write("\n".join(sorted(phrases)) + "\n")
PY

# run LABEL CMD...: wall seconds and peak resident KB of CMD, best of 3. A rupture run writes to a
# fresh output folder each time: outputs are removed only at the end, because a file system that has
# just freed tens of thousands of files is slow to make new ones (ext4 passes over recently freed
# inodes), which would time the deletion of the previous run rather than this one.
run() {
  local label=$1; shift
  local best_s="" best_kb="" out=()
  for k in 1 2 3; do
    [[ $label == rupture* ]] && out=(-o "$WORK/out/$label-$k")
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" "${out[@]}" >/dev/null 2>&1 || true
    read -r s kb < "$WORK/time"
    if [ -z "$best_s" ] || awk "BEGIN{exit !($s < $best_s)}"; then best_s=$s; best_kb=$kb; fi
  done
  echo "$label $best_s $best_kb"
}

R2=$(run rupture-2 $BIN score "$WORK/corpus" -q -j 2)
R1=$(run rupture-1 $BIN score "$WORK/corpus" -q -j 1)
RG=$(run ripgrep rg -i -F -c -f "$WORK/phrases.txt" "$WORK/corpus")

# VADER on a 1,000-session slice, scaled per MB.
mkdir -p "$WORK/slice"
find "$WORK/corpus" -name '*.txt' | sort > "$WORK/all.txt"
head -n 1000 "$WORK/all.txt" | while read -r f; do cp "$f" "$WORK/slice/"; done
SLICE_MB=$(du -sb --apparent-size "$WORK/slice" | awk '{print $1/1e6}')
VD=$(run vader python3 "$SHARED/bench/vader_peer.py" "$WORK/slice" "$WORK/vader.csv")

python3 "$SHARED/bench/make_corpus.py" "$WORK/big" "$BIG" >/dev/null
RB=$(run rupture-big $BIN score "$WORK/big" -q -j 2)

python3 - "$BYTES" "$SESSIONS" "$SLICE_MB" "$BIG" "$R2" "$R1" "$RG" "$VD" "$RB" <<'PY'
import sys
b, n, slice_mb, big = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
rows = {a.split()[0]: (float(a.split()[1]), int(a.split()[2])) for a in sys.argv[5:]}
mb = b / 1e6
def tp(k, size=mb): return size / rows[k][0]
print(f"corpus: {n} sessions, {mb:.1f} MB (memory check: {big} sessions)")
print(f"{'':24}{'seconds':>9}{'MB/s':>9}{'sessions/s':>12}{'peak MB':>9}")
for k, label, size, count in [("rupture-2", "rupture, 2 threads", mb, n), ("rupture-1", "rupture, 1 thread", mb, n),
                              ("ripgrep", "ripgrep (rg -i -F -c)", mb, n), ("vader", "VADER peer (1,000)", slice_mb, 1000),
                              ("rupture-big", f"rupture, {big} sessions", mb * big / n, big)]:
    s, kb = rows[k]
    print(f"{label:24}{s:9.2f}{size / s:9.1f}{count / s:12.0f}{kb / 1024:9.1f}")
print()
print(f"rupture / ripgrep throughput:      {tp('rupture-2') / tp('ripgrep'):.3f}  (target >= 0.333)")
print(f"rupture / VADER throughput per MB: {tp('rupture-2') / tp('vader', slice_mb):.0f}x  (target >= 100x)")
print(f"2 threads / 1 thread:              {rows['rupture-1'][0] / rows['rupture-2'][0]:.2f}x  (target >= 1.7x)")
print(f"peak memory {big} / {n} sessions: {rows['rupture-big'][1] / rows['rupture-2'][1]:.2f}  (target within 1.2; under 100 MB: {max(rows['rupture-big'][1], rows['rupture-2'][1]) / 1024:.0f} MB)")
PY
