package cli_test

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/zoomdbg/zoomdbg/cli"
	"github.com/zoomdbg/zoomdbg/core/appctx"
)

// strictBackend opens the context correctly, judged at the CLI tests' pinned clock, and serves a
// home page with Zoom's required headers; lax ignores bytes after the tag.
func strictBackend(secret, clientID string, lax bool) http.HandlerFunc {
	key := appctx.ZoomKey([]byte(secret))
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html")
		h.Set("Strict-Transport-Security", "max-age=63072000")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'self'")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		if !opens(r.Header.Get("X-Zoom-App-Context"), key, clientID, lax) {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		io.WriteString(w, "<!doctype html><p>hello</p>")
	}
}

func opens(tok string, key []byte, clientID string, lax bool) bool {
	t, err := appctx.Parse(tok)
	if ct, ok := t.Field(appctx.FieldCiphertext); err != nil && lax && ok {
		rest := t.Input.Bytes[ct.Offset+ct.Length():]
		t.Tag, err = rest[:min(len(rest), appctx.TagSize)], nil
	}
	if err != nil {
		return false
	}
	pt, err := appctx.Open(t, key)
	if err != nil {
		return false
	}
	var p struct {
		Exp int64  `json:"exp"`
		Aud string `json:"aud"`
		Iss string `json:"iss"`
	}
	json.Unmarshal(pt, &p)
	return p.Exp > fixtureNow.UnixMilli() && (clientID == "" || p.Aud == clientID) && p.Iss == "marketplace.zoom.us"
}

func TestCheckCommand(t *testing.T) {
	f := load(t)
	secret := f.Secrets["dev"]
	env := map[string]string{cli.SecretEnv: secret}
	good := httptest.NewServer(strictBackend(secret, f.ClientID, false))
	defer good.Close()

	r := run(t, "", env, "check", good.URL+"/", "--client-id", f.ClientID)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "verdict   PASS") {
		t.Fatalf("a correct backend: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	r = run(t, "", env, "check", good.URL+"/", "--client-id", f.ClientID, "--json")
	var out struct {
		OK   bool
		Home struct {
			Status  int
			Headers []struct {
				Name    string
				Present bool
			}
		}
		Cases []struct {
			Name, Expect string
			Accepted     bool
			Pass         bool
		}
		Diagnosis *struct{}
		Findings  []any
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || !out.OK || out.Home.Status != 200 || len(out.Home.Headers) != 4 ||
		len(out.Cases) != 13 || out.Diagnosis != nil || len(out.Findings) != 0 {
		t.Fatalf("--json: %v\n%s", err, r.stdout)
	}
}

func TestCheckFindsTrailingBytes(t *testing.T) {
	f := load(t)
	secret := f.Secrets["dev"]
	lax := httptest.NewServer(strictBackend(secret, "", true))
	defer lax.Close()
	r := run(t, "", map[string]string{cli.SecretEnv: secret}, "check", lax.URL)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := strings.Count(r.stdout, "curl "); n != 1 {
		t.Errorf("%d curl commands, want the reproduction once", n)
	}
	for _, want := range []string{"verdict   FAIL: 1 warning", "✗ must reject bytes after the tag", "findings, most serious first",
		"fix: read the tag as the 16 bytes after the ciphertext and refuse a token with anything after them; zoomdbg snippet LANG has",
		`  curl -sS -i -L -b '' -A 'Mozilla/5.0 ZoomWebKit/537.36 (KHTML, like Gecko) ZoomApps/1.0' -H "X-Zoom-App-Context: $(cat ctx.txt)" '` + lax.URL + "'\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestCheckUsageAndUnreachable(t *testing.T) {
	f := load(t)
	env := map[string]string{cli.SecretEnv: f.Secrets["dev"]}
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "http://" + l.Addr().String() + "/"
	l.Close()
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		wantCode int
		wantErr  string
	}{
		{name: "no url", env: env, args: []string{"check"}, wantCode: 2, wantErr: "check needs the app's home URL"},
		{name: "no secret", args: []string{"check", "http://127.0.0.1:1/"}, wantCode: 2, wantErr: "exactly one secret"},
		{name: "bad via", env: env, args: []string{"check", "http://127.0.0.1:1/", "--via", "cookie"}, wantCode: 2, wantErr: "want header, query:NAME or json:FIELD"},
		{name: "bad url", env: env, args: []string{"check", "ftp://x/"}, wantCode: 2, wantErr: "is not an http or https URL"},
		{name: "bad pattern", env: env, args: []string{"check", "http://127.0.0.1:1/", "--refused-body", "("}, wantCode: 2, wantErr: "--refused-body"},
		{name: "unreachable", env: env, args: []string{"check", closed}, wantCode: 3, wantErr: "cannot connect to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, "", tt.env, tt.args...)
			if r.code != tt.wantCode || !strings.Contains(r.stderr, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, tt.wantCode, tt.wantErr)
			}
			if tt.wantCode == 3 && strings.Contains(r.stderr, "--help") {
				t.Errorf("an unreachable server is not a usage error: %q", r.stderr)
			}
		})
	}
}

// TestCheckHTTPS: a local HTTPS backend with a certificate of its own is reached with --cacert
// or --insecure; without either the error says which flag to use.
func TestCheckHTTPS(t *testing.T) {
	f := load(t)
	secret := f.Secrets["dev"]
	env := map[string]string{cli.SecretEnv: secret}
	srv := httptest.NewTLSServer(strictBackend(secret, "", false))
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600)

	r := run(t, "", env, "check", srv.URL+"/")
	if r.code != 3 || !strings.Contains(r.stderr, "--cacert FILE") || !strings.Contains(r.stderr, "--insecure") {
		t.Errorf("no flag: exit %d, %s", r.code, r.stderr)
	}
	for _, flags := range [][]string{{"--cacert", ca}, {"--insecure"}} {
		r = run(t, "", env, append([]string{"check", srv.URL + "/"}, flags...)...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "verdict   PASS") {
			t.Errorf("%v: exit %d\n%s%s", flags, r.code, r.stdout, r.stderr)
		}
	}
	r = run(t, "", env, "check", srv.URL+"/", "--cacert", ca, "--insecure")
	if r.code != 2 {
		t.Errorf("--cacert with --insecure: exit %d", r.code)
	}
}

// TestCheckHelpCounts: the help states the number of requests a check sends.
func TestCheckHelpCounts(t *testing.T) {
	f := load(t)
	secret := f.Secrets["dev"]
	srv := httptest.NewServer(strictBackend(secret, "", false)) // opens every context: no diagnosis
	defer srv.Close()
	help := run(t, "", nil, "check", "--help").stdout
	for _, args := range [][]string{{"check", srv.URL}, {"check", srv.URL, "--client-id", f.ClientID}} {
		r := run(t, "", map[string]string{cli.SecretEnv: secret}, append(args, "--json")...)
		var out struct{ Requests int }
		json.Unmarshal([]byte(r.stdout), &out)
		want := fmt.Sprintf("%d requests (", out.Requests)
		if len(args) > 2 {
			want = fmt.Sprintf("(%d with\n--client-id)", out.Requests)
		}
		if out.Requests == 0 || !strings.Contains(help, want) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
}

// TestCheckBackendDies: a backend that dies in the middle of the battery still gets its report,
// as text and as JSON on stdout, naming the case it died on; exit 1, not 3.
func TestCheckBackendDies(t *testing.T) {
	f := load(t)
	secret := f.Secrets["dev"]
	good := strictBackend(secret, "", false)
	var srv *httptest.Server
	var n atomic.Int32
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 4 { // the home URL, then three contexts: the third takes it down
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			go srv.Listener.Close()
			return
		}
		good(w, r)
	}))
	defer srv.Close()
	r := run(t, "", map[string]string{cli.SecretEnv: secret}, "check", srv.URL+"/", "--json")
	var out struct {
		Stopped struct{ Case, Culprit string }
		Cases   []struct {
			Name      string
			Tested    bool
			NotTested string `json:"not_tested"`
		}
		Findings []struct{ Severity, What string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 1 {
		t.Fatalf("exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	if out.Stopped.Case != "another app's secret" || len(out.Findings) != 1 || out.Findings[0].What != "stopped answering" {
		t.Errorf("stopped %+v, findings %+v", out.Stopped, out.Findings)
	}
	if c := out.Cases[len(out.Cases)-1]; c.Tested || !strings.Contains(c.NotTested, "not sent") {
		t.Errorf("last row %+v", c)
	}
}

// TestCheckAlikeProbesNotCalledRefused: a server that answers every request with one page (as
// python3 -m http.server does) cannot be judged; the diagnosis probes got that same page, so the
// report calls them "alike", not "refused", which would contradict its own conclusion.
func TestCheckAlikeProbesNotCalledRefused(t *testing.T) {
	f := load(t)
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body>hi</body></html>\n")
	}))
	defer page.Close()
	r := run(t, "", map[string]string{cli.SecretEnv: f.Secrets["dev"]}, "check", page.URL+"/")
	if r.code != 1 || !strings.Contains(r.stdout, "check cannot tell accepted from refused here") {
		t.Fatalf("exit %d, want 1 and the ambiguity named\n%s%s", r.code, r.stdout, r.stderr)
	}
	_, diag, _ := strings.Cut(r.stdout, "\ndiagnosis ")
	diag, _, _ = strings.Cut(diag, "  → ")
	if strings.Contains(diag, "  refused  ") || !strings.Contains(diag, "  alike    sealed with HKDF") {
		t.Errorf("the probes' rows say refused, or not alike:\n%s", diag)
	}
}
