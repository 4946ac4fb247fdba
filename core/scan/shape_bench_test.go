package scan_test

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/scan"
)

// benchTokens seals n distinct tokens as Zoom does, with a payload of Zoom's shape, under the
// fixtures' dev secret, or another app's when failing.
func benchTokens(b *testing.B, n int, failing bool) []string {
	f := load(b)
	secret := []byte(f.Secrets["dev"])
	if failing {
		secret = []byte("another-apps-secret-0000000000000")
	}
	toks := make([]string, n)
	for i := range toks {
		ts := fixtureNow.UnixMilli() - 30000
		pt := fmt.Sprintf(`{"typ":"meeting","uid":"MPjq6UmhQWWBP4Yuf-F%03d","mid":"aBcDeFgHiJkLmNoPqRsTuV==","ts":%d,"exp":%d,`+
			`"iss":"marketplace.zoom.us","aud":"zoomdbgBenchClientId01","attendrole":"host","theme":"dark","entitlements":[]}`, i%1000, ts, ts+120000)
		toks[i] = seal(b, secret, pt)
	}
	return toks
}

func benchShape(b *testing.B, toks []string, line func(string) string) {
	f := load(b)
	var sb strings.Builder
	for _, t := range toks {
		sb.WriteString(line(t))
	}
	text := sb.String()
	o := scan.NewOpener([]appctx.Secret{{Label: "dev", Value: []byte(f.Secrets["dev"])}}, fixtureNow)
	b.SetBytes(int64(len(text)))
	cpu0 := cpuTime()
	for b.Loop() {
		sum, err := scan.Run(context.Background(), []scan.Input{{Name: "a", R: strings.NewReader(text)}}, o, 1,
			func(scan.Result) error { return nil })
		if err != nil || sum.Tokens != int64(len(toks)) {
			b.Fatal(err, sum.Tokens)
		}
	}
	b.ReportMetric(float64(len(toks)*b.N)/b.Elapsed().Seconds(), "tokens/s")
	// CPU time, not wall time: on a machine others share, it is what the work cost.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N*len(toks)), "cpu-ns/token")
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkShapeBare, BenchmarkShapeLog and BenchmarkShapeFailing are the three shapes of
// bench/run.sh on one worker: tokens one a line, the same tokens in nginx access-log lines, and
// tokens sealed with another app's secret.
func BenchmarkShapeBare(b *testing.B) {
	benchShape(b, benchTokens(b, 20000, false), func(t string) string { return t + "\n" })
}

func BenchmarkShapeLog(b *testing.B) {
	benchShape(b, benchTokens(b, 20000, false), logLine)
}

func BenchmarkShapeFailing(b *testing.B) {
	benchShape(b, benchTokens(b, 20000, true), func(t string) string { return t + "\n" })
}

func logLine(t string) string {
	return `127.0.0.1 - - [20/Nov/2026:09:30:05 +0000] "GET /app/home?context=` + t +
		` HTTP/1.1" 200 5120 "https://zoom.us/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 ZoomApps/5.17.0"` + "\n"
}
