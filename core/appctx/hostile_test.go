package appctx_test

import (
	"encoding/binary"
	"runtime"
	"testing"

	"github.com/zoomdbg/zoomdbg/core/appctx"
)

// TestLengthFieldsAllocateNothing: a length field is checked against the bytes that remain before
// anything is sized by it, so a token claiming 4 GiB of ciphertext or 64 KiB of AAD costs what
// its own few hundred bytes cost.
func TestLengthFieldsAllocateNothing(t *testing.T) {
	f := load(t)
	hugeAAD := []byte{12}
	hugeAAD = append(hugeAAD, make([]byte, 12)...)
	hugeAAD = binary.LittleEndian.AppendUint16(hugeAAD, 0xffff)
	hugeIV := []byte{0xff, 1, 2, 3}
	tokens := map[string]string{
		"cipher_length 0xfffffff0": f.Get("huge-cipher-length").Token,
		"aad_length 0xffff":        appctx.Encode(hugeAAD),
		"iv_length 255":            appctx.Encode(hugeIV),
	}
	for name, tok := range tokens {
		t.Run(name, func(t *testing.T) {
			if _, err := appctx.Parse(tok); err == nil {
				t.Fatal("parsed")
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			const n = 200
			for i := 0; i < n; i++ {
				appctx.Parse(tok)
			}
			runtime.ReadMemStats(&after)
			if per := (after.TotalAlloc - before.TotalAlloc) / n; per > 16*uint64(len(tok))+4096 {
				t.Fatalf("a %d-character token allocates %d bytes per parse", len(tok), per)
			}
		})
	}
}
