#!/usr/bin/env bash
# Side-by-side scan benchmark, in one run on one file:
#   zoomdbg scan            (finds tokens, opens them, validates each payload's JSON, extracts claims)
#   node    bench/peers/zoom_node.js    Zoom's published Node sample logic, per line
#   python3 bench/peers/zoom_python.py  the same with the cryptography package
#   floor   bench/floor                 a minimal Go loop: base64-decode and GCM-open, nothing else
# Rounds alternate between the programs; the median of each is reported as tokens/second and as
# ratios. Then zoomdbg's peak memory on the file and on one ten times larger.
#
#   bash bench/run.sh            # N=200000 ROUNDS=5 by default
#   BASELINE=REV bash bench/run.sh   # also time zoomdbg as built from git revision REV, in the same rounds
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-200000}
ROUNDS=${ROUNDS:-5}
out=bench/out
mkdir -p "$out"
secret="$out/secret.txt"
(umask 077; printf 'Zb3nchS3cretF0rZoomdbgScanTest01' > "$secret")

go build -o "$out/zoomdbg" .
go build -o "$out/floor" ./bench/floor
if [ -n "${BASELINE:-}" ]; then
  wt=$(mktemp -d)
  git worktree add -q --detach "$wt" "$BASELINE"
  (cd "$wt" && go build -o "$OLDPWD/$out/zoomdbg-base" .)
  git worktree remove --force "$wt"
fi
echo "generating $N tokens..." >&2
go run ./bench/gen -n "$N" -secret-file "$secret" > "$out/tokens.txt"

declare -A cmd=(
  [zoomdbg]="$out/zoomdbg scan --secret-file $secret $out/tokens.txt"
  [node]="node bench/peers/zoom_node.js $secret"
  [python]="python3 bench/peers/zoom_python.py $secret"
  [floor]="$out/floor $secret"
)
names=(zoomdbg floor node python)
if [ -n "${BASELINE:-}" ]; then
  cmd[base]="$out/zoomdbg-base scan --secret-file $secret $out/tokens.txt"
  names+=(base)
fi
declare -A times

run() { # run NAME: prints seconds
  local t0 t1
  t0=$(date +%s%N)
  if [ "$1" = zoomdbg ] || [ "$1" = base ]; then ${cmd[$1]} > "$out/$1.out"; else ${cmd[$1]} < "$out/tokens.txt" > "$out/$1.out"; fi
  t1=$(date +%s%N)
  echo "scale=4; ($t1 - $t0) / 1000000000" | bc
}

for r in $(seq "$ROUNDS"); do
  for n in "${names[@]}"; do
    times[$n]="${times[$n]:-} $(run "$n")"
  done
  echo "round $r done" >&2
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%Y-%m-%d)"
echo "file: $N tokens, $(du -h "$out/tokens.txt" | cut -f1); median of $ROUNDS alternating rounds"
echo
printf '%-10s %10s %14s %s\n' program seconds tokens/s result
declare -A rate
for n in "${names[@]}"; do
  s=$(echo "${times[$n]}" | median)
  rate[$n]=$(echo "scale=0; $N / $s" | bc)
  printf '%-10s %10s %14s %s\n' "$n" "$s" "${rate[$n]}" "$(tr '\n' ' ' < "$out/$n.out" | sed 's/  */ /g' | cut -c1-70)"
done
echo
ratio() { echo "scale=2; ${rate[$1]} / ${rate[$2]}" | bc; }
echo "zoomdbg / node    $(ratio zoomdbg node)x   (target >= 15)"
echo "zoomdbg / python  $(ratio zoomdbg python)x   (target >= 10)"
echo "zoomdbg / floor   $(ratio zoomdbg floor)x   (target >= 0.5, within 2x of the floor)"
if [ -n "${BASELINE:-}" ]; then
  echo "base ($BASELINE): / node $(ratio base node)x, / python $(ratio base python)x, / floor $(ratio base floor)x; zoomdbg / base $(ratio zoomdbg base)x"
fi

echo
echo "peak memory (max RSS), zoomdbg scan:"
for i in $(seq 10); do cat "$out/tokens.txt"; done > "$out/tokens10.txt"
for f in tokens.txt tokens10.txt; do
  kb=$(/usr/bin/time -f %M "$out/zoomdbg" scan --secret-file "$secret" "$out/$f" 2>&1 >/dev/null | tail -1)
  printf '  %-13s %6s MB   %s\n' "$f" "$((kb / 1024))" "$(du -h "$out/$f" | cut -f1)"
done
rm -f "$out/tokens10.txt"
