#!/usr/bin/env bash
# Side-by-side scan benchmark, in one run, every program on the same files:
#   zoomdbg   zoomdbg scan on every core (finds tokens, opens them, validates each payload's JSON,
#             extracts claims, judges expiry at the line's time)
#   zoomdbg1  the same on one core (GOMAXPROCS=1 --workers 1): compared per core with the floor
#   node      bench/peers/zoom_node.js    Zoom's published Node sample logic, per line (one core)
#   python    bench/peers/zoom_python.py  the same with the cryptography package (one core)
#   floor     bench/floor: base64-decode and GCM-open, nothing else, on one core
#   floorN    the floor on every core: the file split in nproc parts, one floor on each
# Files: bare (a token a line, the mix of bench/gen), log (the same tokens in nginx access-log
# lines; the peers take ?context= with a regular expression), valid and failing (all good, all
# sealed with another secret: what failing tokens cost zoomdbg over valid ones; the floor runs on
# valid too, for a per-core ratio without the PBKDF2 derivation the bare file's mismatches need).
# Rounds alternate between the programs, timed by bench/timeit (microseconds); each program's
# median is reported as tokens/second. A ratio is taken within each round, between runs a second
# or two apart, and its median and range over the rounds reported: on a machine others share, the
# speed of the whole machine drifts from round to round more than the programs differ, and
# pairing cancels the drift (a ratio of two medians did not). "best cpu" is the ratio of each
# program's fastest round instead: others on the machine only slow a run down. Then zoomdbg's peak
# memory on the bare file and on one ten times larger.
# With BASE set to another build of zoomdbg (say, main's), that build runs too, on one core and on
# every core, in the same rounds: before and after, measured side by side.
#
#   bash bench/run.sh            # N=200000 ROUNDS=5 by default
#   git archive main | tar -x -C /tmp/main && (cd /tmp/main && go build -o /tmp/zoomdbg-main .)
#   BASE=/tmp/zoomdbg-main bash bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-200000}
ROUNDS=${ROUNDS:-5}
CORES=$(nproc)
. bench/setup.sh
echo "generating $N tokens in each shape..." >&2
gen bare.txt
gen log.txt -shape log
gen valid.txt -mix valid
gen failing.txt -mix failing
split -n "l/$CORES" -d "$out/bare.txt" "$out/bare.part."


# cmd PROGRAM FILE: the command line
cmd() {
  local f="$out/$2.txt" mode=""
  [ "$2" = log ] && mode=log
  case $1 in
    zoomdbg) echo "$out/zoomdbg scan --secret-file $secret $f" ;;
    zoomdbg1) echo "GOMAXPROCS=1 $out/zoomdbg scan --workers 1 --secret-file $secret $f" ;;
    base) echo "$BASE scan --secret-file $secret $f" ;;
    base1) echo "GOMAXPROCS=1 $BASE scan --workers 1 --secret-file $secret $f" ;;
    node) echo "node bench/peers/zoom_node.js $secret $mode < $f" ;;
    python) echo "python3 bench/peers/zoom_python.py $secret $mode < $f" ;;
    floor) echo "$out/floor $secret < $f" ;;
    floorN) echo "for p in $out/bare.part.??; do $out/floor $secret < \$p > \$p.out & done; wait; cat $out/bare.part.*.out" ;;
  esac
}

# run PROGRAM FILE: prints "wall cpu" seconds (cpu: user + system, of every process it ran)
run() {
  "$out/timeit" "$(cmd "$1" "$2")" 2>&1 > "$out/$1.$2.out" | tail -1
}

# The programs a goal's ratio compares run one after the other: a one-core scan of the bare file
# between the floor and the log file, of the valid file between the floor and the failing file.
# BASE's build runs the same pairs after this build's.
b() { [ -n "${BASE:-}" ] && echo "$@"; true; }
jobs=(floor:bare zoomdbg1:bare zoomdbg1:log $(b base1:bare base1:log)
      floor:valid zoomdbg1:valid zoomdbg1:failing $(b base1:valid base1:failing)
      floorN:bare zoomdbg:bare node:bare python:bare $(b base:bare)
      zoomdbg:log node:log python:log $(b base:log))
declare -A wall cpu
for r in $(seq "$ROUNDS"); do
  for j in "${jobs[@]}"; do
    read -r w c < <(run "${j%%:*}" "${j##*:}")
    wall[$j]="${wall[$j]:-} $w"
    cpu[$j]="${cpu[$j]:-} $c"
  done
  echo "round $r done" >&2
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo
echo "machine: $CORES cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)"
echo "files: $N tokens each ($(du -h "$out/bare.txt" | cut -f1) bare, $(du -h "$out/log.txt" | cut -f1) log); $ROUNDS alternating rounds"
echo "wall: elapsed time; cpu: user + system time of every process, i.e. the cost in core-seconds"
echo
echo "each program: the median over the rounds"
printf '%-9s %-8s %8s %12s %8s %13s  %s\n' program file wall tokens/s cpu "tokens/cpu-s" result
for j in "${jobs[@]}"; do
  w=$(echo "${wall[$j]}" | median)
  c=$(echo "${cpu[$j]}" | median)
  printf '%-9s %-8s %8.3f %12.0f %8.3f %13.0f  %s\n' "${j%%:*}" "${j##*:}" "$w" "$(echo "$N / $w" | bc -l)" "$c" \
    "$(echo "$N / $c" | bc -l)" "$(tr '\n' ' ' < "$out/${j%%:*}.${j##*:}.out" | sed 's/  */ /g' | cut -c1-40)"
done
echo
# paired A B TIMES: the rate of A over the rate of B in each round (B's time over A's), as the
# median and, in brackets, the lowest and highest
paired() {
  paste <(echo "$3" | tr ' ' '\n' | grep -v '^$') <(echo "$4" | tr ' ' '\n' | grep -v '^$') |
    awk '{print $2 / $1}' | sort -g | awk '{a[NR] = $1} END {printf "%.2f (%.2f-%.2f)", a[int((NR + 1) / 2)], a[1], a[NR]}'
}
ratio() { paired "$1" "$2" "${wall[$1]}" "${wall[$2]}"; }
cratio() { paired "$1" "$2" "${cpu[$1]}" "${cpu[$2]}"; }
# bratio A B: the rate of A over the rate of B from each one's fastest round (CPU time). Others
# sharing the machine only ever slow a run down, so the fastest is the closest to its cost.
bratio() {
  local a b
  a=$(echo "${cpu[$1]}" | tr ' ' '\n' | grep -v '^$' | sort -g | head -1)
  b=$(echo "${cpu[$2]}" | tr ' ' '\n' | grep -v '^$' | sort -g | head -1)
  awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", b / a}'
}
# row LABEL A B GOAL: the ratio of A's rate over B's, by wall and CPU medians and by best rounds
row() { printf '%-32s %18s %18s %8s  %s\n' "$1" "$(ratio "$2" "$3")" "$(cratio "$2" "$3")" "$(bratio "$2" "$3")" "$4"; }
echo "ratios of rates, taken within each round: median (lowest-highest)"
printf '%-32s %18s %18s %8s  %s\n' ratio wall cpu "best cpu" goal
row "zoomdbg / node, bare" zoomdbg:bare node:bare ">= 15"
row "zoomdbg / node, log" zoomdbg:log node:log ">= 15"
row "zoomdbg / python, bare" zoomdbg:bare python:bare ">= 10"
row "zoomdbg / python, log" zoomdbg:log python:log ">= 10"
row "per core: zoomdbg1 / floor" zoomdbg1:bare floor:bare ">= 0.6"
# The same on the valid file: no tag mismatch there, so no PBKDF2 key is derived to explain one
# (a fixed 20 ms or so a run, which the bare file's listed mismatches need).
row "  the same, valid tokens only" zoomdbg1:valid floor:valid "(no PBKDF2)"
row "all cores: zoomdbg / floorN" zoomdbg:bare floorN:bare ">= 0.6"
row "bare / log rate (log cost)" zoomdbg1:bare zoomdbg1:log "<= 1.3"
row "valid / failing rate (fail cost)" zoomdbg1:valid zoomdbg1:failing "<= 1.3"

if [ -n "${BASE:-}" ]; then
  echo
  echo "before (BASE=$BASE) and after (this build), same rounds; speed-up = after / before rate"
  printf '%-32s %18s %18s %8s\n' "speed-up" wall cpu "best cpu"
  for p in "zoomdbg:bare base:bare" "zoomdbg1:bare base1:bare" "zoomdbg:log base:log" "zoomdbg1:log base1:log" \
           "zoomdbg1:valid base1:valid" "zoomdbg1:failing base1:failing"; do
    set -- $p
    printf '%-32s %18s %18s %8s\n' "${1/:/, }" "$(ratio "$1" "$2")" "$(cratio "$1" "$2")" "$(bratio "$1" "$2")"
  done
  row "before: bare / log (log cost)" base1:bare base1:log "<= 1.3"
  row "before: per core base1 / floor" base1:bare floor:bare ">= 0.6"
fi

echo
echo "peak memory (max RSS), zoomdbg scan:"
for i in $(seq 10); do cat "$out/bare.txt"; done > "$out/bare10.txt"
for f in bare.txt bare10.txt; do
  kb=$(/usr/bin/time -f %M "$out/zoomdbg" scan --secret-file "$secret" "$out/$f" 2>&1 >/dev/null | tail -1)
  printf '  %-13s %6s MB   %s\n' "$f" "$((kb / 1024))" "$(du -h "$out/$f" | cut -f1)"
done
rm -f "$out/bare10.txt" "$out"/bare.part.*
