package check

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
)

// TestBatteryAgreesWithVerdict: what check expects a backend to do with each context is what
// core's verdict says of it: reject every context whose verdict is not ok. Only "wrong iss" is
// refused beyond the verdict (defence in depth: the verdict does not read iss).
func TestBatteryAgreesWithVerdict(t *testing.T) {
	now := time.UnixMilli(1796000000000)
	o := Options{Secret: []byte("zdbg-check-secret-0123456789abcd"), ClientID: "zdbgCheckClient0000001",
		Now: func() time.Time { return now }, Rand: rand.Reader}
	c := &checker{o: o}
	for _, cs := range battery(o) {
		tok, err := c.token(cs.Name)
		if err != nil {
			t.Fatal(err)
		}
		j := c.verdict(tok)
		switch {
		case cs.Name == "wrong iss":
			if j.Verdict != appctx.VerdictOK {
				t.Errorf("%s: verdict %s, want ok (iss is beyond the verdict)", cs.Name, j.Text())
			}
		case (cs.Expect == Accept) != j.OK():
			t.Errorf("%s: check expects %s, core's verdict is %s", cs.Name, cs.Expect, j.Text())
		}
	}
}
