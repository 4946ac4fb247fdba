# Sourced by bench/run.sh and bench/callgrind.sh: the output folder, the bench's secret (a test
# value, not a real app's), this tree's zoomdbg, the floor and the timer built into it, and gen,
# which writes a file of N tokens sealed with that secret (gen FILE [bench/gen flags]).
out=bench/out
mkdir -p "$out"
secret="$out/secret.txt"
(umask 077; printf 'Zb3nchS3cretF0rZoomdbgScanTest01' > "$secret")
# Built as the release archives are (.goreleaser.yaml): with the vector code of GOEXPERIMENT=simd.
GOEXPERIMENT=simd go build -o "$out/zoomdbg" .
go build -o "$out/floor" ./bench/floor
go build -o "$out/gen" ./bench/gen
go build -o "$out/timeit" ./bench/timeit

gen() {
  local file=$1
  shift
  "$out/gen" -n "$N" -secret-file "$secret" "$@" > "$out/$file"
}
