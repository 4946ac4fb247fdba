package scan

import (
	"math"
	"strconv"
	"testing"
)

func TestDistinct(t *testing.T) {
	for _, n := range []int{0, 1, 4096, 4097, 20000, 300000} {
		var d distinct
		for i := 0; i < n; i++ {
			d.add(strconv.Itoa(i))
			d.add(strconv.Itoa(i)) // repeats do not count
		}
		got, est := d.count()
		if n <= exactLimit && (got != n || est) {
			t.Errorf("n=%d: count %d (estimated %v), want exact", n, got, est)
		}
		if n > exactLimit && (math.Abs(float64(got-n))/float64(n) > 0.03 || !est) {
			t.Errorf("n=%d: estimate %d is off by more than 3%%", n, got)
		}
		if len(d.regs) > hllRegs || (n > exactLimit && d.exact != nil) {
			t.Errorf("n=%d: memory not bounded", n)
		}
	}
}

func TestDistinctMerge(t *testing.T) {
	for _, split := range [][2]int{{10, 20}, {3000, 3000}, {100, 50000}, {50000, 60000}} {
		var a, b, all distinct
		for i := 0; i < split[0]; i++ {
			a.add(strconv.Itoa(i))
			all.add(strconv.Itoa(i))
		}
		for i := split[0] / 2; i < split[0]/2+split[1]; i++ { // overlaps a
			b.add(strconv.Itoa(i))
			all.add(strconv.Itoa(i))
		}
		a.merge(&b)
		got, _ := a.count()
		want, _ := all.count()
		if got != want {
			t.Errorf("split %v: merged count %d, counted together %d", split, got, want)
		}
	}
}

// TestSum64: the string and byte forms agree, and strings that differ only by trailing zero
// bytes, or by one byte anywhere, hash apart.
func TestSum64(t *testing.T) {
	seen := map[uint64]string{}
	for n := 0; n < 40; n++ {
		for _, c := range []byte{0, 'a', 0xff} {
			for pos := 0; pos < n; pos++ {
				b := make([]byte, n)
				b[pos] = c
				if sum64(b) != sum64(string(b)) {
					t.Fatalf("%q: byte and string hashes differ", b)
				}
				h := sum64(b)
				if prev, ok := seen[h]; ok && prev != string(b) {
					t.Fatalf("%q and %q hash alike", prev, b)
				}
				seen[h] = string(b)
			}
		}
	}
}

// TestHashSet: the set holds what a map holds, zero included, through its growth.
func TestHashSet(t *testing.T) {
	var s hashSet
	want := map[uint64]bool{}
	for i := uint64(0); i < 20000; i++ {
		h := mix64(i % 7000)
		if i%1000 == 0 {
			h = 0
		}
		if i%3 == 0 {
			h &= 0xff // colliding low bits
		}
		s.add(h)
		want[h] = true
	}
	got := map[uint64]bool{}
	s.each(func(h uint64) {
		if got[h] {
			t.Fatalf("%x twice", h)
		}
		got[h] = true
	})
	if s.len() != len(want) || len(got) != len(want) {
		t.Fatalf("set holds %d (%d listed), want %d", s.len(), len(got), len(want))
	}
	for h := range want {
		if !got[h] {
			t.Fatalf("%x missing", h)
		}
	}
}
