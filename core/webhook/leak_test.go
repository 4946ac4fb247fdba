package webhook

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/check"
)

// TestEndpointThatEchoesItsToken: an endpoint in a debug mode that prints its Secret Token (raw
// and base64) in every refusal gets a critical finding, and the token appears in no form in
// anything the check keeps or shows.
func TestEndpointThatEchoesItsToken(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString([]byte(testSecret))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte("signature mismatch; secret token = " + testSecret + " (" + b64 + ")"))
	}))
	defer srv.Close()
	r, err := CheckEndpoint(context.Background(), EndpointOptions{URL: srv.URL, Secret: []byte(testSecret), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(r)
	shown := string(out)
	for _, f := range r.Findings() {
		shown += f.Why + f.Curl
	}
	for _, form := range []string{testSecret, b64} {
		if strings.Contains(shown, form) {
			t.Errorf("the Secret Token is shown (%q)", form)
		}
	}
	if !strings.Contains(shown, RedactedToken) {
		t.Errorf("nothing was redacted: %s", shown)
	}
	var critical bool
	for _, f := range r.Findings() {
		critical = critical || f.Severity == check.Critical && strings.Contains(f.Why, "holds the Secret Token")
	}
	if !critical {
		t.Errorf("no critical finding for the echoed token: %+v", r.Findings())
	}
}

// TestEndpointEchoesEveryForm: whatever form the endpoint sends its Secret Token back in (the
// forms core/redact knows, from check's redactor and oauth's alike: a Basic header holding it,
// hex, PHP's json_encode with `\/`, the SHA-256 of it), the check keeps none of it, and says so.
func TestEndpointEchoesEveryForm(t *testing.T) {
	const secret = "dGVzdC1zZWNyZXQt/b2tlbi1kZXY" // a '/' for PHP to escape
	key := sha256.Sum256([]byte(secret))
	forms := map[string]string{
		"raw":             secret,
		"basic header":    "Basic " + base64.StdEncoding.EncodeToString([]byte("webhook-user:"+secret)),
		"hex":             hex.EncodeToString([]byte(secret)),
		"PHP json_encode": strings.ReplaceAll(secret, "/", `\/`),
		"key in hex":      hex.EncodeToString(key[:]),
		"percent-encoded": url.QueryEscape(secret),
	}
	for name, form := range forms {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusUnauthorized)
				w.Write([]byte("debug: expected " + form))
			}))
			defer srv.Close()
			r, err := CheckEndpoint(context.Background(), EndpointOptions{URL: srv.URL, Secret: []byte(secret), Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			var shown strings.Builder
			for _, p := range r.Probes {
				shown.WriteString(p.Response + p.Problem + string(p.body))
			}
			for _, f := range forms {
				if len(f) > 12 && strings.Contains(shown.String(), f[len(f)-12:]) {
					t.Fatalf("the %s form is shown: %s", name, shown.String())
				}
			}
			if !strings.Contains(shown.String(), RedactedToken) || !strings.Contains(shown.String(), "holds the Secret Token") {
				t.Errorf("the echo is not named a leak: %s", shown.String())
			}
		})
	}
}

// TestSummary: the one line every face gives an endpoint check's verdict, from the report alone.
func TestSummary(t *testing.T) {
	probe := func(pass bool, sev Severity) Probe { return Probe{Sent: true, Pass: pass, Severity: sev} }
	tests := []struct {
		name string
		r    EndpointReport
		want string
	}{
		{"pass", EndpointReport{OK: true, Requests: 13, Probes: []Probe{probe(true, check.Serious)}}, Pass + " (13 requests)"},
		{"pass with notes", EndpointReport{OK: true, Requests: 13, Probes: []Probe{probe(false, check.Note)}}, Pass + " (13 requests)"},
		{"fail, counted worst first", EndpointReport{Requests: 14, Probes: []Probe{probe(false, check.Note), probe(false, check.Critical),
			probe(false, check.Note), probe(true, check.Serious), probe(false, check.Warning)}}, "FAIL: 1 critical, 1 warning, 2 notes (14 requests)"},
		{"a probe not sent is no finding", EndpointReport{Requests: 2, Probes: []Probe{{Pass: false, Severity: check.Critical}, probe(false, check.Serious)}},
			"FAIL: 1 serious (2 requests)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.Summary(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
