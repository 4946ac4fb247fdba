package appctx_test

import (
	"testing"
	"time"

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

// zoomPayload is a typical plaintext as Zoom sends it (about 230 bytes), for the payload benchmarks.
const zoomPayload = `{"typ":"meeting","uid":"MPjq6UmhQWWBP4Yuf-F001","mid":"aBcDeFgHiJkLmNoPqRsTuV==","ts":1795167000000,"exp":1795167120000,"iss":"marketplace.zoom.us","aud":"zoomdbgBenchClientId01","attendrole":"host","theme":"dark","entitlements":[]}`

// BenchmarkJudgePayloadZoom: the payload and claim checks on a typical plaintext, as scan runs
// them on every token it opens (issue 21): strict JSON reading, claim extraction, exp, ts, aud.
func BenchmarkJudgePayloadZoom(b *testing.B) {
	pt := []byte(zoomPayload)
	now := time.UnixMilli(1795167060000)
	var j appctx.Judgement
	b.SetBytes(int64(len(pt)))
	for b.Loop() {
		appctx.JudgePayloadTo(&j, pt, "zoomdbgBenchClientId01", now)
	}
	if !j.OK() {
		b.Fatalf("verdict %s", j.Text())
	}
}

// BenchmarkJudgePayloadZoomShapes: the same through PayloadShapes, as scan runs them: after the
// first, every payload is read by its shape.
func BenchmarkJudgePayloadZoomShapes(b *testing.B) {
	pt := []byte(zoomPayload)
	now := time.UnixMilli(1795167060000)
	var (
		j      appctx.Judgement
		shapes appctx.PayloadShapes
	)
	b.SetBytes(int64(len(pt)))
	for b.Loop() {
		shapes.JudgePayloadTo(&j, pt, "zoomdbgBenchClientId01", now)
	}
	if !j.OK() {
		b.Fatalf("verdict %s", j.Text())
	}
}
