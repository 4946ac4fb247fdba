package scan_test

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/scan"
)

// TestBareRunsThatAreNoToken: a bare run is a result only when it decodes to a token's layout;
// one whose layout holds with another IV length is one (malformed: Zoom's IV is 12 bytes), as is
// any keyed run; random runs, truncated tokens, and runs whose first byte says 12 but whose
// lengths do not fit are not.
func TestBareRunsThatAreNoToken(t *testing.T) {
	secret := []byte("bare-runs-test-secret")
	key := appctx.ZoomKey(secret)
	o := scan.NewOpener([]appctx.Secret{{Label: "s", Value: secret}}, time.Time{})
	seal := func(iv []byte) []byte {
		b, err := appctx.SealBytes(key, iv, []byte(`{"typ":"meeting","ts":1763631005000,"exp":1763631125000}`), nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	random := func(n int) []byte {
		b := make([]byte, n)
		rand.Read(b)
		return b
	}
	valid := seal(random(12))
	var std []byte // a token whose standard base64 holds '+' or '/'
	for std == nil {
		if v := seal(random(12)); strings.ContainsAny(base64.StdEncoding.EncodeToString(v), "+/") {
			std = v
		}
	}
	twelveFirst := append([]byte{12}, random(59)...) // says 12, lengths at random
	for _, c := range []struct {
		name   string
		bytes  []byte
		keyed  bool
		status scan.Status // "" for no result
	}{
		{"a token", valid, false, scan.OK},
		{"16-byte IV", seal(random(16)), false, scan.Malformed},
		{"1-byte IV", seal(random(1)), false, scan.Malformed},
		{"truncated token", valid[:len(valid)-5], false, ""},
		{"random bytes", random(48), false, ""},
		{"first byte 12, the rest random", twelveFirst, false, ""},
		{"random bytes, keyed", random(48), true, scan.Malformed},
		{"a token in standard base64", std, false, scan.Malformed},
		{"random, 4k+1 characters", nil, false, ""},
		{"random in standard base64", nil, false, ""},
		{"truncated token, keyed", valid[:len(valid)-5], true, scan.Malformed},
	} {
		text := base64.RawURLEncoding.EncodeToString(c.bytes)
		switch c.name {
		case "a token in standard base64":
			text = base64.RawStdEncoding.EncodeToString(c.bytes)
		case "random, 4k+1 characters":
			text = base64.RawURLEncoding.EncodeToString(random(48)) + "A"
		case "random in standard base64":
			text = "ab/+" + base64.RawStdEncoding.EncodeToString(random(48))
		}
		r, ok := o.Check(scan.Candidate{Text: []byte(text), Keyed: c.keyed, Std: strings.ContainsAny(text, "+/")}) // Std as the finder sets it
		switch {
		case c.status == "" && ok:
			t.Errorf("%s: a result (%s: %s), want none", c.name, r.Status, r.Error)
		case c.status != "" && !ok:
			t.Errorf("%s: no result, want %s", c.name, c.status)
		case ok && r.Status != c.status:
			t.Errorf("%s: %s (%s), want %s", c.name, r.Status, r.Error, c.status)
		}
	}
}
