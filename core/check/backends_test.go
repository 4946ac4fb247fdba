package check

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// The backends under testdata/backends are written the way developers write them, each in its
// own runtime, each with a bug or two of its own (their comments say which). Every test below
// starts one, runs the check against it and compares the findings with its ground truth exactly:
// no finding missed, none false.

var portLine = regexp.MustCompile(`^(\d{2,5})$|127\.0\.0\.1:(\d{2,5})`)

// startServer runs argv in dir and returns its base URL, from the first line on its standard
// output or error that is a port or holds 127.0.0.1:PORT (PHP's built-in server says it on
// standard error). It fails, never skips, when the runtime is missing: .ci/run installs them.
func startServer(t *testing.T, dir string, env []string, argv ...string) string {
	t.Helper()
	if _, err := exec.LookPath(argv[0]); err != nil {
		t.Fatalf("%s is not installed: the backend tests need it (.ci/run installs it)", argv[0])
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(runtimeEnv(), env...)
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	port := make(chan string, 2)
	scan := func(r io.Reader) {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if m := portLine.FindStringSubmatch(strings.TrimSpace(sc.Text())); m != nil {
				port <- m[1] + m[2]
				break
			}
		}
		io.Copy(io.Discard, r) // keep draining: a full pipe would block the server
	}
	go scan(stdout)
	go scan(stderr)
	select {
	case p := <-port:
		return "http://127.0.0.1:" + p
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not start", strings.Join(argv, " "))
	}
	return ""
}

// runtimeEnv is the part of the environment the runtimes need: a debug page that shows its
// environment (the Python one does) then shows nothing of the machine the tests run on.
func runtimeEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "PATH", name == "HOME", name == "LANG", name == "TMPDIR", name == "JAVA_HOME",
			strings.HasPrefix(name, "PYENV_"), strings.HasPrefix(name, "NODE_"):
			out = append(out, kv)
		}
	}
	return out
}

func backendsDir(t *testing.T) string { return filepath.Join(testdataDir(t), "backends") }

// homeServer serves a home page with Zoom's headers, so that only the context handling is judged.
func homeServer(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(goodHome))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// findings lists a report's findings as "severity what", sorted.
func findings(r *Report) []string {
	var out []string
	for _, f := range r.Findings() {
		out = append(out, f.Severity.String()+" "+f.What)
	}
	sort.Strings(out)
	return out
}

func wantFindings(t *testing.T, r *Report, want ...string) {
	t.Helper()
	sort.Strings(want)
	if got := findings(r); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n  got  %q\n  want %q", got, want)
		for _, c := range r.Cases {
			t.Logf("  %-26s HTTP %d accepted %v tested %v %s %s", c.Name, c.Status, c.Accepted, c.Tested, c.NotTested, c.Error)
		}
	}
}

func findingFor(t *testing.T, r *Report, what string) Finding {
	t.Helper()
	for _, f := range r.Findings() {
		if f.What == what {
			return f
		}
	}
	t.Fatalf("no finding %q", what)
	return Finding{}
}

func wantLanguage(t *testing.T, r *Report, name string) {
	t.Helper()
	if r.Language == nil || r.Language.Name != name {
		t.Errorf("language %+v, want %s", r.Language, name)
	}
}

// wantProbe: the diagnosis found the bug with exactly this probe accepted, and its text names
// only probes that were sent.
func wantProbe(t *testing.T, r *Report, probe string) {
	t.Helper()
	d := r.Diagnosis
	if d == nil || !d.Found {
		t.Fatalf("diagnosis %+v, want %q found", d, probe)
	}
	var accepted []string
	for _, c := range d.Tried {
		if c.Accepted {
			accepted = append(accepted, c.Name)
		}
	}
	if strings.Join(accepted, ",") != probe {
		t.Errorf("probes accepted %q, want only %q", accepted, probe)
	}
}

// wantNotTested: with the valid context refused, no must-reject row ticks.
func wantNotTested(t *testing.T, r *Report) {
	t.Helper()
	for _, c := range r.Cases[1:] {
		if !c.Accepted && (c.Tested || c.NotTested == "") {
			t.Errorf("%s: tested %v, not tested %q; a refusal proves nothing when the valid context is refused too", c.Name, c.Tested, c.NotTested)
		}
	}
}

// TestPHPBackends: PHP's built-in server with sessions. session.php opens a session and
// redirects to itself (the cookie must be kept), and checks neither the tag's length nor exp in
// milliseconds nor aud nor iss; loop.php's Secure cookie never comes back over http, a redirect
// loop; padded.php hands openssl_decrypt the secret itself, which PHP cuts to 32 bytes.
func TestPHPBackends(t *testing.T) {
	secret, clientID := devSecret(t)
	long := secret + "-and-then-some" // longer than 32: PHP cuts it
	env := []string{"ZOOM_CLIENT_SECRET=" + secret}
	sessions := t.TempDir()
	u := startServer(t, filepath.Join(backendsDir(t), "php"), env, "php", "-d", "session.save_path="+sessions, "-d", "display_errors=0", "-S", "127.0.0.1:0")
	home := homeServer(t)

	r := run(t, Options{URL: home, Endpoint: u + "/session.php", Secret: []byte(secret), ClientID: clientID})
	if v := r.Cases[0]; !v.Accepted || v.Status != 200 || !strings.Contains(v.Response, "Welcome back") {
		t.Fatalf("the session redirect was not followed with its cookie: %+v", v)
	}
	wantFindings(t, r, "critical tag cut to 12 bytes", "critical tag cut to 8 bytes", "critical tag cut to 4 bytes",
		"serious expired 8 minutes ago", "serious wrong aud", "note wrong iss")
	wantLanguage(t, r, "PHP")
	if r.JudgedBy != JudgedByStatus {
		t.Errorf("judged by %s: %s", r.JudgedBy, r.Judged)
	}
	if f := findingFor(t, r, "tag cut to 4 bytes"); !strings.Contains(f.Fix, "strlen($tag) !== 16") || strings.Contains(f.Fix, "authTagLength") ||
		!strings.Contains(f.Fix, "zoomdbg snippet php") {
		t.Errorf("the tag fix is not PHP's: %s", f.Fix)
	}
	if f := findingFor(t, r, "expired 8 minutes ago"); !strings.Contains(f.Fix, "microtime(true) * 1000") {
		t.Errorf("the expiry fix is not PHP's: %s", f.Fix)
	}

	r = run(t, Options{URL: home, Endpoint: u + "/loop.php", Secret: []byte(secret)})
	wantFindings(t, r, "serious valid context")
	if d := r.Diagnosis; d == nil || !strings.Contains(d.Bug, "redirect loop") || !strings.Contains(d.Bug, "Domain") || len(d.Tried) != 0 {
		t.Errorf("diagnosis of the loop: %+v", d)
	}
	wantNotTested(t, r)

	u = startServer(t, filepath.Join(backendsDir(t), "php"), []string{"ZOOM_CLIENT_SECRET=" + long}, "php", "-d", "display_errors=0", "-S", "127.0.0.1:0")
	r = run(t, Options{URL: home, Endpoint: u + "/padded.php", Secret: []byte(long)})
	wantFindings(t, r, "serious valid context")
	wantProbe(t, r, "secret padded or cut to 32 bytes")
	wantNotTested(t, r)
	wantLanguage(t, r, "PHP")
	if !strings.Contains(r.Diagnosis.Fix, "zoomdbg snippet php") {
		t.Errorf("fix: %s", r.Diagnosis.Fix)
	}
}

// TestRubyErrorPage: Ruby's OpenSSL::Cipher without a tag-length check, behind an error page
// that answers 200. What refused looks like is learned from the body; only the cut tags and
// the unchecked iss are found.
func TestRubyErrorPage(t *testing.T) {
	secret, _ := devSecret(t)
	u := startServer(t, backendsDir(t), []string{"ZOOM_CLIENT_SECRET=" + secret}, "ruby", "ruby_error_page.rb")
	r := run(t, Options{URL: homeServer(t), Endpoint: u + "/app", Secret: []byte(secret)})
	if r.JudgedBy != JudgedByBody || !strings.Contains(r.Judged, "Something went wrong") {
		t.Errorf("judged by %s: %s", r.JudgedBy, r.Judged)
	}
	wantFindings(t, r, "critical tag cut to 12 bytes", "critical tag cut to 8 bytes", "critical tag cut to 4 bytes", "note wrong iss")
	wantLanguage(t, r, "Ruby")
	if f := findingFor(t, r, "tag cut to 8 bytes"); !strings.Contains(f.Fix, "tag.bytesize != 16") || !strings.Contains(f.Fix, "zoomdbg snippet ruby") {
		t.Errorf("the tag fix is not Ruby's: %s", f.Fix)
	}
}

// TestNodeDiesMidBattery: Web Crypto done right, in an async handler whose rejection nobody
// catches: Node ends the process at the first context that does not open. The report keeps
// what was seen and names that case.
func TestNodeDiesMidBattery(t *testing.T) {
	secret, _ := devSecret(t)
	u := startServer(t, backendsDir(t), []string{"ZOOM_CLIENT_SECRET=" + secret}, "node", "node_webcrypto.js")
	r := run(t, Options{URL: homeServer(t), Endpoint: u + "/", Secret: []byte(secret), Timeout: 5 * time.Second})
	s := r.Stopped
	if s == nil || s.Case != caseOtherSecret || s.Culprit != caseOtherSecret {
		t.Fatalf("stopped %+v, want at and by %q", s, caseOtherSecret)
	}
	wantFindings(t, r, "serious stopped answering")
	for _, c := range r.Cases {
		if tested := c.Name == caseValid || c.Name == caseNone; c.Tested != tested || (tested && !c.Pass) {
			t.Errorf("%s: tested %v pass %v (%s)", c.Name, c.Tested, c.Pass, c.NotTested)
		}
	}
	if r.Diagnosis != nil {
		t.Errorf("a diagnosis ran against a dead backend: %+v", r.Diagnosis)
	}
}

// TestPythonDebugBackend: plain base64.b64decode (Zoom's contexts do not open), a 500 for every
// error but a bad tag, and a debug traceback that shows the client secret. Each is found, the
// secret is in no form in the report, and the rows that prove nothing say so.
func TestPythonDebugBackend(t *testing.T) {
	secret, _ := devSecret(t)
	u := startServer(t, backendsDir(t), []string{"ZOOM_CLIENT_SECRET=" + secret, "APP_DEBUG=1"}, "python3", "python_debug.py")
	// IVs of 0xff bytes put "__" in every token's first characters: a token without '-' or '_'
	// (about 1 in 1,000) would decode under b64decode too, and the test would judge that luck.
	r, err := Run(context.Background(), Options{URL: homeServer(t), Endpoint: u + "/", Secret: []byte(secret), Rand: ffReader{}})
	if err != nil {
		t.Fatal(err)
	}
	wantFindings(t, r, "critical client secret in answers", "serious valid context", "warning 5xx on bad contexts")
	wantProbe(t, r, "standard base64")
	wantNotTested(t, r)
	wantLanguage(t, r, "Python")
	out, _ := json.Marshal(r)
	for _, form := range []string{secret, hex.EncodeToString([]byte(secret)), base64.StdEncoding.EncodeToString([]byte(secret)), url.QueryEscape(secret)} {
		if strings.Contains(string(out), form) {
			t.Fatal("the secret is in the report")
		}
	}
	redacted := false
	for _, c := range r.Cases {
		redacted = redacted || strings.Contains(string(c.body), "client_secret = '"+Redacted+"'")
	}
	if !redacted {
		t.Errorf("the traceback's local was not redacted in place")
	}
	if !strings.Contains(r.Diagnosis.Fix, "zoomdbg snippet python") {
		t.Errorf("fix: %s", r.Diagnosis.Fix)
	}
}

// TestJavaPostOnly: a POST-only API keyed with Arrays.copyOf(secret, 32). Checked with GET, the
// 405 says why, and no secret is guessed; checked as its frontend posts, the padded key is found.
func TestJavaPostOnly(t *testing.T) {
	secret := "short-dev-secret-20c" // shorter than 32: Arrays.copyOf pads it with zeros
	u := startServer(t, filepath.Join(backendsDir(t), "java"), []string{"ZOOM_CLIENT_SECRET=" + secret}, "java", "PostOnlyBackend.java")
	home := homeServer(t)

	r := run(t, Options{URL: home, Endpoint: u + "/api/context", Secret: []byte(secret)})
	wantFindings(t, r, "serious valid context")
	if d := r.Diagnosis; d == nil || !strings.Contains(d.Bug, "405") || !strings.Contains(d.Bug, "Allow: POST") ||
		!strings.Contains(d.Fix, "--via json:FIELD") || len(d.Tried) != 0 || strings.Contains(d.Bug, "secret") {
		t.Errorf("diagnosis of a 405: %+v", d)
	}

	r = run(t, Options{URL: home, Endpoint: u + "/api/context", Via: Via{Kind: ViaJSON, Name: "appContext"}, Secret: []byte(secret)})
	wantFindings(t, r, "serious valid context")
	wantProbe(t, r, "secret padded or cut to 32 bytes")
	wantNotTested(t, r)
	wantLanguage(t, r, "Java")
	if !strings.Contains(r.Diagnosis.Bug, "Arrays.copyOf") || !strings.Contains(r.Diagnosis.Fix, "zoomdbg snippet java") {
		t.Errorf("diagnosis %+v", r.Diagnosis)
	}
}

// TestGo500: a correct Go backend whose every error is http.Error(w, err.Error(), 500).
func TestGo500(t *testing.T) {
	secret, _ := devSecret(t)
	bin := filepath.Join(t.TempDir(), "backend")
	build := exec.Command("go", "build", "-o", bin, "main.go")
	build.Dir = filepath.Join(backendsDir(t), "go")
	build.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GO111MODULE=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	u := startServer(t, t.TempDir(), []string{"ZOOM_CLIENT_SECRET=" + secret}, bin)
	r := run(t, Options{URL: homeServer(t), Endpoint: u + "/app", Secret: []byte(secret)})
	wantFindings(t, r, "warning 5xx on bad contexts")
	wantLanguage(t, r, "Go")
}

// ffReader reads 0xff bytes forever.
type ffReader struct{}

func (ffReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 0xff
	}
	return len(p), nil
}
