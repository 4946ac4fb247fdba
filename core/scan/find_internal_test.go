package scan

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/zoomdbg/zoomdbg/fixtures"
)

// BenchmarkFindBlock is the finder alone over 8 MiB of log lines that each carry a token.
func BenchmarkFindBlock(b *testing.B) {
	f, _ := fixtures.Load()
	line := []byte(`2026-11-20T09:30:00Z INFO req x-zoom-app-context: ` + f.Get("valid").Token + "\n")
	data := bytes.Repeat(line, (8<<20)/len(line))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		findBlock(nil, data, func(Candidate, int64) {})
	}
}

// TestRunWord: the word test agrees with the class table on every byte in every position, and on
// random words.
func TestRunWord(t *testing.T) {
	base := []byte("AZaz09-_")
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 8; pos++ {
			w := bytes.Clone(base)
			w[pos] = byte(c)
			var want byte
			ok := true
			for _, b := range w {
				if classes[b] == 0 {
					ok = false
				}
				want |= classes[b]
			}
			got, gotOK := runWord(binary.LittleEndian.Uint64(w))
			if gotOK != ok || ok && got != want {
				t.Fatalf("%q: runWord %v %b, want %v %b", w, gotOK, got, ok, want)
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 200000; n++ {
		x := r.Uint64()
		if n%2 == 0 { // mostly run characters
			var w [8]byte
			for i := range w {
				w[i] = "ABCxyz019+/=-_@[`{:/"[r.IntN(20)]
			}
			x = binary.LittleEndian.Uint64(w[:])
		}
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], x)
		var want byte
		ok := true
		for _, b := range w {
			if classes[b] == 0 {
				ok = false
			}
			want |= classes[b]
		}
		if got, gotOK := runWord(x); gotOK != ok || ok && got != want {
			t.Fatalf("%q: runWord %v %b, want %v %b", w, gotOK, got, ok, want)
		}
	}
}

// TestRunEnd: the word-at-a-time run end agrees with the class table, byte by byte, on random
// text of run characters, word characters and bytes above 0x7f, at every start and length.
func TestRunEnd(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const alpha = "ABCxyz019+/=-_ .:\"@[`{\xc3\xa9\x80\xff\n"
	for n := 0; n < 20000; n++ {
		data := make([]byte, r.IntN(40))
		for k := range data {
			if r.IntN(4) == 0 {
				data[k] = byte(r.IntN(256))
			} else {
				data[k] = alpha[r.IntN(len(alpha))]
			}
		}
		for i := range data {
			want, wantCl := i, byte(0)
			for want < len(data) && classes[data[want]] != 0 {
				wantCl |= classes[data[want]]
				want++
			}
			if got, gotCl := runEnd(data, i); got != want || gotCl != wantCl {
				t.Fatalf("runEnd(%q, %d) = %d %b, want %d %b", data, i, got, gotCl, want, wantCl)
			}
		}
	}
}
