package cli_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/zoomdbg/zoomdbg/core/snippet"
	"github.com/zoomdbg/zoomdbg/core/webhook"
)

const (
	hookSecret = "d2ViaG9vay1zZWNyZXQtZGV2MDE" // made up, the shape of a Secret Token
	hookOther  = "b3RoZXItYXBwLXNlY3JldC0wMDE"
)

// secretLeaks fails when out holds the secret in any common encoding.
func secretLeaks(t *testing.T, out, secret string) {
	t.Helper()
	for _, form := range []string{secret, hex.EncodeToString([]byte(secret)), base64.StdEncoding.EncodeToString([]byte(secret)),
		base64.RawURLEncoding.EncodeToString([]byte(secret))} {
		if strings.Contains(out, form) {
			t.Fatalf("the secret token is in the output (as %q)", form)
		}
	}
}

func hookCapture(body, ts, sig string) string {
	return fmt.Sprintf("POST /webhook HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nx-zm-request-timestamp: %s\r\nx-zm-signature: %s\r\nContent-Length: %d\r\n\r\n%s",
		ts, sig, len(body), body)
}

func TestWebhookVerify(t *testing.T) {
	dev := secretFile(t, hookSecret, 0o600)
	other := secretFile(t, hookOther, 0o600)
	ts := fmt.Sprint(fixtureNow.Unix() - 5)
	body := `{"event":"meeting.ended","payload":{"object":{"topic":"caf\u00e9 \/ 1.0"}},"event_ts":1795167025000}`
	validation := `{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1795167025000,"event":"endpoint.url_validation"}`
	sign := func(secret, b string) string { return webhook.Sign([]byte(secret), ts, []byte(b)) }
	tests := []struct {
		name      string
		stdin     string
		args      []string
		env       map[string]string
		code      int
		label     string
		cause     string
		handshake bool
	}{
		{name: "verified from a file flag", stdin: hookCapture(body, ts, sign(hookSecret, body)), args: []string{"--secret-token-file", "dev=" + dev}, label: "dev"},
		{name: "verified from the environment", stdin: hookCapture(body, ts, sign(hookSecret, body)), env: map[string]string{"ZOOM_WEBHOOK_SECRET_TOKEN": hookSecret}, label: "ZOOM_WEBHOOK_SECRET_TOKEN"},
		{name: "second label verifies", stdin: hookCapture(body, ts, sign(hookOther, body)), args: []string{"--secret-token-file", "dev=" + dev, "--secret-token-file", "prod=" + other}, label: "prod"},
		{name: "wrong secret", stdin: hookCapture(body, ts, sign(hookOther, body)), args: []string{"--secret-token-file", "dev=" + dev}, code: 1, cause: "none of the usual mistakes"},
		{name: "body alone with flags", stdin: body, args: []string{"--secret-token-file", "dev=" + dev, "--timestamp", ts, "--signature", sign(hookSecret, body)}, label: "dev"},
		{name: "no v0=", stdin: body, args: []string{"--secret-token-file", "dev=" + dev, "--timestamp", ts, "--signature", sign(hookSecret, body)[3:]}, code: 1, cause: `lacks its "v0=" prefix`},
		{name: "missing headers", stdin: body, args: []string{"--secret-token-file", "dev=" + dev}, code: 1, cause: "lacks its signature headers"},
		{name: "handshake answer", stdin: hookCapture(validation, ts, sign(hookSecret, validation)), args: []string{"--secret-token-file", "dev=" + dev}, label: "dev", handshake: true},
		{name: "unreadable capture", stdin: "GET / HTTP/1.1\r\nbad header\r\n\r\n", args: []string{"--secret-token-file", "dev=" + dev}, code: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, tt.stdin, tt.env, append([]string{"webhook", "-", "--json"}, tt.args...)...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, tt.code, r.stdout, r.stderr)
			}
			secretLeaks(t, r.stdout+r.stderr, hookSecret)
			if tt.code == 2 {
				if !strings.Contains(r.stderr, "byte 16 (line 2): want a header line") {
					t.Fatalf("stderr %q does not name the offset", r.stderr)
				}
				return
			}
			var out struct {
				OK        bool
				Label     *string
				Cause     string
				Variants  []webhook.Variant
				Handshake *webhook.ValidationResponse
				Message   struct{ Parts []struct{ Name string } }
			}
			if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
				t.Fatal(err)
			}
			if out.OK != (tt.code == 0) || tt.label != "" && (out.Label == nil || *out.Label != tt.label) {
				t.Fatalf("ok %v label %v, want label %q", out.OK, out.Label, tt.label)
			}
			if !strings.Contains(out.Cause, tt.cause) {
				t.Fatalf("cause %q, want %q", out.Cause, tt.cause)
			}
			if tt.handshake != (out.Handshake != nil) {
				t.Fatalf("handshake %+v", out.Handshake)
			}
			if tt.handshake && out.Handshake.EncryptedToken != webhook.Validate([]byte(hookSecret), "qgg8vlvZRS6UYooatFL8Aw").EncryptedToken {
				t.Fatal("wrong handshake answer")
			}
			if len(out.Message.Parts) != 3 {
				t.Fatalf("message parts %+v", out.Message.Parts)
			}
			// Text output agrees with the JSON.
			txt := run(t, tt.stdin, tt.env, append([]string{"webhook"}, tt.args...)...)
			if txt.code != tt.code || !strings.Contains(txt.stdout, map[bool]string{true: "verdict   verified with " + tt.label, false: "verdict   NOT VERIFIED"}[tt.code == 0]) {
				t.Fatalf("text: exit %d\n%s", txt.code, txt.stdout)
			}
			secretLeaks(t, txt.stdout+txt.stderr, hookSecret)
		})
	}
}

// TestWebhookNoToken: with no Secret Token nothing can verify, so it is a usage error (exit 2,
// as for every command missing a required input), one line naming where to give it, before the
// capture is read; with $ZOOM_WEBHOOK_SECRET_TOKEN set but empty, the same.
func TestWebhookNoToken(t *testing.T) {
	ts := fmt.Sprint(fixtureNow.Unix() - 5)
	body := `{"event":"meeting.ended","payload":{},"event_ts":1795167025000}`
	capture := hookCapture(body, ts, webhook.Sign([]byte(hookSecret), ts, []byte(body)))
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"nothing", nil, []string{"webhook", "-"}},
		{"json", nil, []string{"webhook", "-", "--json"}},
		{"empty environment variable", map[string]string{"ZOOM_WEBHOOK_SECRET_TOKEN": ""}, []string{"webhook"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, capture, tc.env, tc.args...)
			first, _, _ := strings.Cut(r.stderr, "\n")
			if r.code != 2 || r.stdout != "" || !strings.Contains(first, "webhook needs the Secret Token") || !strings.Contains(first, "$ZOOM_WEBHOOK_SECRET_TOKEN") {
				t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
		})
	}
}

// TestWebhookSignRoundTrip: what sign prints verifies, read back from its own curl command.
func TestWebhookSignRoundTrip(t *testing.T) {
	dev := secretFile(t, hookSecret, 0o600)
	for _, ev := range webhook.EventNames() {
		r := run(t, "", nil, "webhook", "sign", "--event", ev, "--secret-token-file", dev)
		if r.code != 0 {
			t.Fatalf("%s: exit %d %s", ev, r.code, r.stderr)
		}
		secretLeaks(t, r.stdout, hookSecret)
		curl := r.stdout[strings.Index(r.stdout, "curl "):]
		v := run(t, curl, nil, "webhook", "-", "--secret-token-file", "dev="+dev)
		if v.code != 0 || !strings.Contains(v.stdout, "verified with dev") {
			t.Fatalf("%s: the signed curl does not verify (exit %d)\n%s\n%s", ev, v.code, curl, v.stdout)
		}
		if ev == webhook.EventURLValidation && !strings.Contains(r.stdout, `"encryptedToken":"`) {
			t.Fatalf("no handshake answer in\n%s", r.stdout)
		}
	}
	if r := run(t, "", nil, "webhook", "sign", "--event", "nope", "--secret-token-file", dev); r.code != 2 || !strings.Contains(r.stderr, "meeting.started") {
		t.Fatalf("unknown event: exit %d %s", r.code, r.stderr)
	}
	if r := run(t, "", nil, "webhook", "sign", "{}"); r.code != 2 || !strings.Contains(r.stderr, "exactly one Secret Token") {
		t.Fatalf("no secret: exit %d %s", r.code, r.stderr)
	}
}

// hookServer is a Go endpoint: correct, or (lax) one that accepts anything.
func hookServer(secret string, lax bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		err := webhook.Verify([]byte(secret), r.Header.Get(webhook.HeaderTimestamp), r.Header.Get(webhook.HeaderSignature), body)
		if err != nil && !lax {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if v, ok := webhook.Handshake(body, []byte(secret)); ok {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(v)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func TestWebhookCheckCommand(t *testing.T) {
	dev := secretFile(t, hookSecret, 0o600)
	good := httptest.NewServer(hookServer(hookSecret, false))
	defer good.Close()
	lax := httptest.NewServer(hookServer(hookSecret, true))
	defer lax.Close()

	r := run(t, "", nil, "webhook", "check", good.URL, "--secret-token-file", dev)
	if r.code != 0 || !strings.Contains(r.stdout, "verdict   PASS") {
		t.Fatalf("correct endpoint: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	secretLeaks(t, r.stdout+r.stderr, hookSecret)

	r = run(t, "", nil, "webhook", "check", lax.URL, "--secret-token-file", dev, "--json")
	if r.code != 1 {
		t.Fatalf("lax endpoint: exit %d\n%s", r.code, r.stdout)
	}
	secretLeaks(t, r.stdout, hookSecret)
	var out struct {
		OK       bool
		Findings []struct{ Name, Severity, Why, Curl string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	crit := 0
	for _, f := range out.Findings {
		if f.Severity == "critical" {
			crit++
		}
		if f.Name == "" || f.Why == "" || !strings.HasPrefix(f.Curl, "curl ") {
			t.Fatalf("incomplete finding %+v", f)
		}
	}
	if out.OK || crit != 7 {
		t.Fatalf("ok %v with %d critical findings, want 7: %+v", out.OK, crit, out.Findings)
	}

	unreachable := httptest.NewServer(http.NotFoundHandler())
	unreachable.Close()
	if r := run(t, "", nil, "webhook", "check", unreachable.URL, "--secret-token-file", dev); r.code != 3 || !strings.Contains(r.stderr, "cannot reach") {
		t.Fatalf("unreachable: exit %d %s", r.code, r.stderr)
	}
	for _, args := range [][]string{{"webhook", "check"}, {"webhook", "check", "ftp://x"}, {"webhook", "check", good.URL}} {
		if r := run(t, "", nil, args...); r.code != 2 {
			t.Fatalf("%q: exit %d, want 2", args, r.code)
		}
	}
}

func TestWebhookHostileCaptures(t *testing.T) {
	dev := secretFile(t, hookSecret, 0o600)
	for _, in := range []string{"", strings.Repeat("x", 100000), "\x00\xff\x1b[2J", strings.Repeat("{", 100000),
		hookCapture(`{"event":"\u001b[31m"}`, "NaN", "v0=\x1b]52;c;AAAA\x07")} {
		r := run(t, in, nil, "webhook", "-", "--secret-token-file", dev)
		if r.code == 0 || strings.ContainsAny(r.stdout+r.stderr, "\x1b\x07\x00") {
			t.Fatalf("exit %d, or control bytes printed raw:\n%q", r.code, r.stdout+r.stderr)
		}
		if bytes.Count([]byte(r.stderr), []byte("\n")) > 2 {
			t.Fatalf("an error of more than one line: %q", r.stderr)
		}
	}
}

func TestSnippetWebhook(t *testing.T) {
	for _, l := range snippet.Languages {
		r := run(t, "", nil, "snippet", l.Name, "--webhook")
		if r.code != 0 || r.stdout != l.Source(snippet.Webhook) || !strings.Contains(r.stdout, "url_validation") {
			t.Fatalf("%s: exit %d, or not the webhook program", l.Name, r.code)
		}
	}
	if r := run(t, "", nil, "snippet", "go", "--webhook", "--pkce"); r.code != 2 {
		t.Fatalf("--webhook --pkce: exit %d", r.code)
	}
}

func TestExplainWebhook(t *testing.T) {
	r := run(t, "Error: Input buffers must have the same byte length\n    at timingSafeEqual (node:internal/crypto/util)", nil, "explain", "-", "--json")
	var out struct {
		Recognised bool
		Language   string
		Causes     []string
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 0 || !out.Recognised || out.Language != "Node.js (crypto.timingSafeEqual)" {
		t.Fatalf("exit %d %+v %v", r.code, out, err)
	}
	if r := run(t, "", nil, "explain", "Unauthorized request to Zoom Webhook sample."); r.code != 0 || !strings.Contains(r.stdout, "zoomdbg webhook CAPTURE") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	if r := run(t, "", nil, "explain", "InvalidTag"); r.code != 0 || !strings.Contains(r.stdout, "Python (cryptography)") {
		t.Fatalf("a decryption failure is no longer explained as one: %s", r.stdout)
	}
}

// TestWebhookSignMillis: a --timestamp in milliseconds is signed as asked, with a warning naming
// the seconds Zoom would send.
func TestWebhookSignMillis(t *testing.T) {
	r := run(t, "", map[string]string{"ZOOM_WEBHOOK_SECRET_TOKEN": "tok"}, "webhook", "sign", "--timestamp", "1796044002000", "{}")
	if r.code != 0 || !strings.Contains(r.stdout, "x-zm-request-timestamp: 1796044002000") ||
		!strings.Contains(r.stderr, "looks like epoch milliseconds") || !strings.Contains(r.stderr, "(1796044002)") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, "", map[string]string{"ZOOM_WEBHOOK_SECRET_TOKEN": "tok"}, "webhook", "sign", "--timestamp", "1796044002", "{}"); strings.Contains(r.stderr, "milliseconds") {
		t.Fatalf("a timestamp in seconds was warned about: %s", r.stderr)
	}
}
