package scan_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/scan"
)

// TestWithoutOKResults: a scan that keeps no Result for an ok token (the text summary's) counts
// what one that keeps them all counts (tokens, statuses, secrets, distinct tokens, uids and
// meetings, expiry not judged, and by file), and emits exactly the results that are not ok, in
// the same order, over three files, one with no token.
func TestWithoutOKResults(t *testing.T) {
	secret, other := []byte("quiet-ok-test-secret"), []byte("another-apps-secret")
	at := time.Date(2026, 11, 20, 9, 30, 5, 0, time.UTC)
	token := func(s []byte, exp time.Time, uid int) string {
		return seal(t, s, fmt.Sprintf(`{"typ":"meeting","uid":"u%d","mid":"m%d","ts":%d,"exp":%d}`, uid, uid%7,
			exp.Add(-2*time.Minute).UnixMilli(), exp.UnixMilli()))
	}
	var a, b strings.Builder
	lines := map[string]int64{}
	for i := 0; i < 400; i++ {
		w, name := &a, "a"
		if i%3 == 0 {
			w, name = &b, "b"
		}
		lines[name]++
		switch i % 10 {
		case 0:
			fmt.Fprintf(w, "[20/Nov/2026:09:30:05 +0000] GET /?context=%s\n", token(other, at.Add(time.Hour), i))
		case 1:
			fmt.Fprintf(w, "[20/Nov/2026:09:30:05 +0000] GET /?context=%s\n", token(secret, at.Add(-time.Hour), i)) // expired
		case 2:
			fmt.Fprintf(w, "no time here %s\n", token(secret, at.Add(time.Hour), i)) // not judged
		case 3:
			fmt.Fprintf(w, "[20/Nov/2026:09:30:05 +0000] GET /?context=%s\n", token(secret, at.Add(time.Hour), i)[:60]) // malformed
		default:
			fmt.Fprintf(w, "[20/Nov/2026:09:30:05 +0000] GET /?context=%s\n", token(secret, at.Add(time.Hour), i))
		}
	}
	scanWith := func(quiet bool) (*scan.Summary, []scan.Result) {
		o := scan.NewOpener([]appctx.Secret{{Label: "s", Value: secret}}, time.Time{}).WithZone(time.UTC)
		if quiet {
			o.WithoutOKResults()
		}
		in := []scan.Input{{Name: "a", R: strings.NewReader(a.String())}, {Name: "none", R: strings.NewReader("no tokens\n")},
			{Name: "b", R: strings.NewReader(b.String())}}
		var rs []scan.Result
		sum, err := scan.Run(context.Background(), in, o, 2, func(r scan.Result) error { rs = append(rs, r); return nil })
		if err != nil {
			t.Fatal(err)
		}
		return sum, rs
	}
	all, allResults := scanWith(false)
	quiet, quietResults := scanWith(true)
	if quiet.Tokens != 400 || !reflect.DeepEqual(quiet.ByStatus, all.ByStatus) || !reflect.DeepEqual(quiet.BySecret, all.BySecret) ||
		quiet.Distinct != all.Distinct || quiet.UIDs != all.UIDs || quiet.Meetings != all.Meetings || quiet.Unjudged != all.Unjudged {
		t.Errorf("without ok results: %+v\nwith them: %+v", *quiet, *all)
	}
	if !reflect.DeepEqual(quiet.Files(), []string{"a", "b"}) || !reflect.DeepEqual(all.Files(), quiet.Files()) {
		t.Errorf("files: %q without ok results, %q with them", quiet.Files(), all.Files())
	}
	for _, f := range quiet.Files() {
		q, w := quiet.FileCounts(f), all.FileCounts(f)
		var n int64
		for _, c := range q {
			n += c
		}
		if !reflect.DeepEqual(q, w) || n != lines[f] {
			t.Errorf("%s: %v without ok results (%d tokens), %v with them; it holds %d", f, q, n, w, lines[f])
		}
	}
	var notOK []scan.Result
	for _, r := range allResults {
		if r.Status != scan.OK {
			notOK = append(notOK, r)
		}
	}
	if len(notOK) == 0 || len(notOK) == len(allResults) || !reflect.DeepEqual(quietResults, notOK) {
		t.Errorf("without ok results, %d emitted; with them, %d of %d are not ok", len(quietResults), len(notOK), len(allResults))
	}
}
