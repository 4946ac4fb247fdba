#!/usr/bin/env bash
# Counts what one token costs zoomdbg scan (and the decrypt-only floor), on one core, in instructions and mispredicted branches
# (valgrind's callgrind with its branch simulator), for bare tokens and for nginx log lines. Unlike
# a timing, the counts do not move when others share the machine, so a change can be compared
# with the build before it on a noisy machine:
#
#   bash bench/callgrind.sh                   # this tree
#   BASE=/tmp/zoomdbg-main bash bench/callgrind.sh   # and another build, on the same files
#
# est. cycles = instructions / 3 + 15 x mispredicted branches: a rough model of a core that runs
# three instructions a cycle and loses 15 cycles a mispredicted branch. Counts under valgrind
# overstate the garbage collector's share (it marks for longer in a slower process) and ignore
# caches; bench/run.sh is the measure, this the way to see the direction of a change.
# Needs valgrind (apt-get install valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-20000}
. bench/setup.sh
gen cg-bare.txt -mix valid
gen cg-log.txt -mix valid -shape log

# count BINARY FILE: instructions and mispredicts a token, and the model's cycles (the floor
# reads the file on standard input)
count() {
  local log="$out/cg.err"
  # Go's asynchronous preemption signals confuse callgrind: switched off for the count.
  if [ "$1" = "$out/floor" ]; then
    GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --branch-sim=yes \
      --callgrind-out-file="$out/cg.out" "$1" "$secret" < "$2" > /dev/null 2> "$log"
  else
    GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 valgrind --tool=callgrind --branch-sim=yes \
      --callgrind-out-file="$out/cg.out" "$1" scan --workers 1 --secret-file "$secret" "$2" > /dev/null 2> "$log"
  fi
  local ir bcm
  ir=$(grep 'Collected' "$log" | awk '{print $4}' | tr -d ,)
  bcm=$(grep 'Mispredicts:' "$log" | awk '{print $3}' | tr -d ,)
  printf '%12d %10d %12d' $((ir / N)) $((bcm / N)) $(((ir / 3 + 15 * bcm) / N))
}

printf '%-10s %-6s %12s %10s %12s\n' build file "instr/token" "mispred" "est.cycles"
for b in "$out/zoomdbg" ${BASE:-}; do
  for f in bare log; do
    printf '%-10s %-6s %s\n' "$( [ "$b" = "$out/zoomdbg" ] && echo this || echo base )" "$f" "$(count "$b" "$out/cg-$f.txt")"
  done
done
printf '%-10s %-6s %s\n' floor bare "$(count "$out/floor" "$out/cg-bare.txt")"
rm -f "$out/cg.out" "$out/cg.err"
