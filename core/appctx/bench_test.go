package appctx_test

import (
	"testing"

	"github.com/zoomdbg/zoomdbg/core/appctx"
)

// BenchmarkParse: Normalize + Parse of a pasted token, the work behind every keystroke.
func BenchmarkParse(b *testing.B) {
	tok := load(b).Get("valid").Token
	b.SetBytes(int64(len(tok)))
	for b.Loop() {
		if _, err := appctx.Parse(tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenCachedKey: GCM open with a key derived once and its cipher cached.
func BenchmarkOpenCachedKey(b *testing.B) {
	f := load(b)
	tok, _ := appctx.Parse(f.Get("valid").Token)
	k := appctx.Derive(appctx.DeriveSHA256, appctx.Secret{Value: []byte(f.Secrets["dev"])})
	for b.Loop() {
		if _, err := k.Open(tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeriveAll: every derivation of one secret; PBKDF2's 100000 rounds dominate, which is
// why the TUI derives off the UI goroutine and scan derives once.
func BenchmarkDeriveAll(b *testing.B) {
	s := []appctx.Secret{{Label: "x", Value: []byte("Zd3vS3cretF0rZoomdbgTestV3ctors1")}}
	for b.Loop() {
		appctx.DeriveAll(s)
	}
}
