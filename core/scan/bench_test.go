package scan_test

import (
	"context"
	"strings"
	"testing"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/scan"
)

// BenchmarkCheck is the per-token path of scan: decode, parse, open with a cached key, validate the
// payload's JSON and extract its claims.
func BenchmarkCheck(b *testing.B) {
	f := load(b)
	o := scan.NewOpener([]appctx.Secret{{Label: "dev", Value: []byte(f.Secrets["dev"])}}, fixtureNow)
	c := scan.Candidate{Text: []byte(f.Get("valid").Token), Keyed: true}
	for b.Loop() {
		if r, _ := o.Check(c); r.Status != scan.OK {
			b.Fatal(r.Status)
		}
	}
}

// BenchmarkRun is the whole scan of a mixed log: find, open, reorder, count.
func BenchmarkRun(b *testing.B) {
	f := load(b)
	log, _ := mixedLog(b, 10000)
	o := scan.NewOpener([]appctx.Secret{{Label: "dev", Value: []byte(f.Secrets["dev"])}}, fixtureNow)
	b.SetBytes(int64(len(log)))
	for b.Loop() {
		_, err := scan.Run(context.Background(), []scan.Input{{Name: "a", R: strings.NewReader(log)}}, o, 0,
			func(scan.Result) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "tokens/s")
}
