package scan_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/scan"
)

// TestWithoutClaimText: a scan that makes no claim strings (the text summary's) counts the same
// distinct uids and meetings as one that does, with uids written plain, JSON-escaped ("ab\u0063"
// is "abc"), empty, absent and not strings; and its results carry no typ, uid or mid.
func TestWithoutClaimText(t *testing.T) {
	secret := []byte("claim-text-test-secret")
	claim := func(name string, i int) string {
		switch i % 7 {
		case 0:
			return fmt.Sprintf(`,%q:"u%d"`, name, i%5)
		case 1:
			return fmt.Sprintf(`,%q:"\u0075%d"`, name, i%5) // "u" escaped: the same as case 0
		case 2:
			return fmt.Sprintf(`,%q:""`, name)
		case 3:
			return "" // absent
		case 4:
			return fmt.Sprintf(`,%q:%d`, name, i) // not a string
		case 5:
			return fmt.Sprintf(`,%q:"x\"%d"`, name, i%3) // an escaped quote
		}
		return fmt.Sprintf(`,%q:"long-%s-%d"`, name, strings.Repeat("z", i%40), i%4)
	}
	var log strings.Builder
	uids, mids := map[string]bool{}, map[string]bool{}
	value := func(c string) string { // the claim's string, as the test writes it
		_, v, ok := strings.Cut(c, ":")
		if !ok || !strings.HasPrefix(v, `"`) || v == `""` {
			return ""
		}
		return strings.NewReplacer(`\u0075`, "u", `\"`, `"`).Replace(v[1 : len(v)-1])
	}
	for i := 0; i < 300; i++ {
		u, m := claim("uid", i), claim("mid", i*3+1)
		if v := value(u); v != "" {
			uids[v] = true
		}
		if v := value(m); v != "" {
			mids[v] = true
		}
		log.WriteString(seal(t, secret, `{"typ":"meeting"`+u+m+`,"ts":1,"exp":2}`) + "\n")
	}
	scanWith := func(lean bool) (*scan.Summary, []scan.Result) {
		o := scan.NewOpener([]appctx.Secret{{Label: "s", Value: secret}}, time.Time{})
		if lean {
			o.WithoutClaimText()
		}
		var rs []scan.Result
		sum, err := scan.Run(context.Background(), []scan.Input{{Name: "log", R: strings.NewReader(log.String())}}, o, 2,
			func(r scan.Result) error { rs = append(rs, r); return nil })
		if err != nil {
			t.Fatal(err)
		}
		return sum, rs
	}
	full, fullResults := scanWith(false)
	lean, leanResults := scanWith(true)
	if full.UIDs != len(uids) || full.Meetings != len(mids) {
		t.Errorf("with claim text: %d uids, %d meetings; the log holds %d and %d", full.UIDs, full.Meetings, len(uids), len(mids))
	}
	if lean.UIDs != full.UIDs || lean.Meetings != full.Meetings || lean.Tokens != full.Tokens {
		t.Errorf("without claim text: %d tokens, %d uids, %d meetings; with: %d, %d, %d",
			lean.Tokens, lean.UIDs, lean.Meetings, full.Tokens, full.UIDs, full.Meetings)
	}
	for i, r := range leanResults {
		if r.UID != "" || r.MID != "" || r.Typ != "" {
			t.Fatalf("without claim text, result %d carries typ %q, uid %q, mid %q", i, r.Typ, r.UID, r.MID)
		}
	}
	if fullResults[0].Typ != "meeting" || fullResults[0].UID != "u0" {
		t.Errorf("with claim text, the first result has typ %q, uid %q", fullResults[0].Typ, fullResults[0].UID)
	}
}
