package webhook

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
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
