package scan_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/scan"
)

// TestRunJudgesAtLineTime: each token is judged at its own line's time wherever the line carries
// it: pino's "time" leading a line of a megabyte whose token is at its end (the line spans
// blocks), winston's "timestamp" after a dozen members, and a zone named in the line (which --tz
// does not override). The fixture's token lives from ts to ts+2 min, so a time an hour later
// makes it expired and one a minute later leaves it ok.
func TestRunJudgesAtLineTime(t *testing.T) {
	f := load(t)
	tok := f.Get("valid").Token
	live, late := fixtureNow, fixtureNow.Add(time.Hour) // fixtureNow is ts + 30 s
	ms := func(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }
	pino := func(at time.Time) string {
		return `{"level":30,"time":` + ms(at) + `,"pid":1,"hostname":"h","req":{"body":"` + strings.Repeat("x", 1<<20) +
			`","headers":{"x-zoom-app-context":"` + tok + `"}},"msg":"request"}` + "\n"
	}
	winston := func(at time.Time) string {
		var b strings.Builder
		b.WriteString(`{"headers":{`)
		for i := 0; i < 20; i++ {
			b.WriteString(`"h` + strconv.Itoa(i) + `":"v",`)
		}
		b.WriteString(`"x-zoom-app-context":"` + tok + `"},"level":"info","message":"request","method":"GET","query":{},"timestamp":"` +
			at.UTC().Format("2006-01-02T15:04:05.000Z") + `"}` + "\n")
		return b.String()
	}
	webrick := func(at time.Time) string {
		jst := time.FixedZone("JST", 9*3600)
		return `127.0.0.1 - - [` + at.In(jst).Format("02/Jan/2006:15:04:05 MST") + `] "GET /?context=` + tok + ` HTTP/1.1" 200 2` + "\n"
	}
	log := pino(live) + pino(late) + winston(live) + winston(late) + webrick(live) + webrick(late) +
		`[30/Nov/2026:15:50:29 IST] "GET /?context=` + tok + ` HTTP/1.1" 200 2` + "\n"
	want := []scan.Status{scan.OK, scan.Expired, scan.OK, scan.Expired, scan.OK, scan.Expired, scan.OK}
	opener := scan.NewOpener([]appctx.Secret{{Label: "dev", Value: []byte(f.Secrets["dev"])}}, time.Time{}).
		WithZone(time.FixedZone("far", -11*3600)) // --tz: must not apply to lines naming their zone
	var got []scan.Result
	sum, err := scan.Run(context.Background(), []scan.Input{{Name: "a", R: strings.NewReader(log)}}, opener, 2,
		func(r scan.Result) error { got = append(got, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d results, want %d", len(got), len(want))
	}
	for i, r := range got {
		if r.Status != want[i] || r.Line != int64(i+1) {
			t.Errorf("line %d: %s judged by %q at %v, want %s", r.Line, r.Status, r.JudgedBy, r.JudgedAt, want[i])
		}
	}
	last := got[len(got)-1]
	if last.JudgedBy != scan.JudgedByNone || !strings.Contains(last.NotJudged, "IST could be India") {
		t.Errorf("IST line: judged by %q, not judged %q; want the ambiguity named", last.JudgedBy, last.NotJudged)
	}
	if sum.Unjudged != 1 || sum.ZoneAmbiguous != 1 {
		t.Errorf("summary: %d unjudged, %d ambiguous; want 1, 1", sum.Unjudged, sum.ZoneAmbiguous)
	}
}
