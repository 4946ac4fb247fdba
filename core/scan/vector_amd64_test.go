//go:build goexperiment.simd

package scan

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// decodeBoth decodes src as runDecoder.end does with the vector decoder: thirty-two characters a
// step, then eight.
func decodeBoth(dst, src []byte) (int, int) {
	k, o := decodeVectors(dst, src)
	k2, o2 := decodeWords(dst[o:], src[k:], pairValues())
	return k + k2, o + o2
}

// agree checks that the vector decoder followed by the eight-character loop reads, writes and
// stops exactly where the eight-character loop alone does.
func agree(t *testing.T, src []byte) {
	t.Helper()
	want, got := make([]byte, len(src)+32), make([]byte, len(src)+32)
	wk, wo := decodeWords(want, src, pairValues())
	gk, gowrote := decodeBoth(got, src)
	if gk != wk || gowrote != wo || !bytes.Equal(got[:gowrote], want[:wo]) {
		t.Fatalf("%q: vectors read %d, wrote %x; words alone read %d, wrote %x", src, gk, got[:gowrote], wk, want[:wo])
	}
}

func TestDecodeVectorsAgreesWithWords(t *testing.T) {
	if !hasAVX2 {
		t.Skip("no AVX2 on this machine: decodeVectors decodes nothing")
	}
	const url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	// Every byte at every place of a step, alone in a run of valid characters.
	base := []byte(url[:40] + url[7:31])
	for c := 0; c < 256; c++ {
		for pos := range 64 {
			src := bytes.Clone(base)
			src[pos] = byte(c)
			agree(t, src)
		}
	}
	// Random runs, mostly valid, of every length up to a long token.
	r := rand.New(rand.NewPCG(32, 24))
	for n := 0; n < 30000; n++ {
		src := make([]byte, r.IntN(420))
		for k := range src {
			src[k] = url[r.IntN(len(url))]
			if r.IntN(400) == 0 {
				src[k] = byte(r.IntN(256))
			}
		}
		agree(t, src)
	}
	// The vector decoder does the work on a valid run (it is not skipped).
	dst := make([]byte, 64)
	if k, o := decodeVectors(dst, base); k != 64 || o != 48 {
		t.Fatalf("a valid run of 64 characters: read %d, wrote %d; want 64, 48", k, o)
	}
}

func FuzzDecodeVectors(f *testing.F) {
	f.Add([]byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"))
	f.Add([]byte("DAAAAAAAAAAAAAAA_____-----0000zzzzAAAAAAAAAAAAAAAAAAAAAAAA+/=="))
	f.Fuzz(func(t *testing.T, src []byte) { agree(t, src) })
}
