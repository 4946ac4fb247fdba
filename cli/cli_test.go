package cli_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/zoomdbg/zoomdbg/cli"
	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/mockzoom"
	"github.com/zoomdbg/zoomdbg/fixtures"
)

// fixtureNow is 30 seconds after the fixtures' ts, so their contexts are live in golden output.
var fixtureNow = time.UnixMilli(1795167000000 + 30000).UTC()

type result struct {
	code           int
	stdout, stderr string
	session        *cli.Session
}

func run(t *testing.T, stdin string, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	var got *cli.Session
	// The user's own config and remembered state never reach a test: unless the test names a
	// config file, it gets one in a directory of its own (a missing file is an empty config).
	isolated := filepath.Join(t.TempDir(), "config.json")
	e := cli.Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string {
			if v, ok := env[k]; ok || k != cli.ConfigEnv {
				return v
			}
			return isolated
		},
		Now:  func() time.Time { return fixtureNow },
		Rand: bytes.NewReader(bytes.Repeat([]byte{0x5a}, 4096)),
		// As in a terminal, so that the root opens the (injected) TUI; TestNoTerminal unsets it.
		StdoutIsTTY: true,
	}
	code := cli.Main(args, e, cli.Debugger{Open: func(s cli.Session) error { got = &s; return nil }})
	return result{code, out.String(), errb.String(), got}
}

func load(t *testing.T) fixtures.File {
	t.Helper()
	f, err := fixtures.Load()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// secretFile writes a secret to a private temporary file and returns its path.
func secretFile(t *testing.T, secret string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(p, []byte(secret+"\n"), mode); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestContextGolden(t *testing.T) {
	f := load(t)
	dev := secretFile(t, f.Secrets["dev"], 0o600)
	tests := []struct {
		name     string
		vector   string
		args     []string
		wantCode int
	}{
		{"valid", "valid", []string{"--secret-file", "dev=" + dev, "--client-id", f.ClientID}, 0},
		{"no secret", "valid-aad", nil, 0},
		{"wrong secret", "wrong-secret", []string{"--secret-file", "dev=" + dev}, 1},
		{"hkdf", "hkdf-key", []string{"--secret-file", "dev=" + dev}, 1},
		{"truncated", "truncated", []string{"--secret-file", "dev=" + dev}, 1},
		{"mangled paste", "valid-mangled-paste", []string{"--secret-file", "dev=" + dev}, 1},
		{"terminal escapes", "terminal-escapes", []string{"--secret-file", "dev=" + dev}, 0},
		{"non json", "non-json", []string{"--secret-file", "dev=" + dev}, 1},
		{"guest", "guest", []string{"--secret-file", "dev=" + dev}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"context", "-"}, tc.args...)
			r := run(t, f.Get(tc.vector).Token, nil, args...)
			if r.code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstderr: %s", r.code, tc.wantCode, r.stderr)
			}
			assertNoControls(t, r.stdout)
			golden.RequireEqual(t, r.stdout)
		})
	}
}

// assertNoControls fails on any byte a terminal would act on, other than the newline.
func assertNoControls(t *testing.T, s string) {
	t.Helper()
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\n') || c == 0x7f {
			t.Fatalf("control byte %#x at %d reaches the terminal: %q", c, i, s[max(0, i-20):min(len(s), i+20)])
		}
	}
	if strings.Contains(s, "\u009b") {
		t.Fatal("C1 CSI reaches the terminal")
	}
}

// TestContextJSONEveryVector runs `context --json` on every fixture and checks the contract.
func TestContextJSONEveryVector(t *testing.T) {
	f := load(t)
	dev := secretFile(t, f.Secrets["dev"], 0o600)
	for _, v := range f.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			r := run(t, v.Token, nil, "context", "--json", "--secret-file", v.SecretLabel+"="+dev)
			var out map[string]json.RawMessage
			if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
				t.Fatalf("stdout is not one JSON object: %v\n%s", err, r.stdout)
			}
			for _, k := range []string{"status", "ok", "input", "fields", "error", "derivation", "diagnosis", "payload", "claims"} {
				if _, ok := out[k]; !ok {
					t.Errorf("key %q missing", k)
				}
			}
			var status string
			var ok bool
			json.Unmarshal(out["status"], &status)
			json.Unmarshal(out["ok"], &ok)
			if status != v.WantStatus {
				t.Errorf("status %s, want %s", status, v.WantStatus)
			}
			if wantCode := map[bool]int{true: 0, false: 1}[ok]; r.code != wantCode || ok != (v.WantStatus == "ok") {
				t.Errorf("ok=%v exit %d for status %s", ok, r.code, status)
			}
			var e *struct {
				Code   string `json:"code"`
				Offset int    `json:"offset"`
			}
			json.Unmarshal(out["error"], &e)
			if v.WantError != "" && (e == nil || e.Code != v.WantError || (v.WantOffset != 0 && e.Offset != v.WantOffset)) {
				t.Errorf("error = %+v, want %s at %d", e, v.WantError, v.WantOffset)
			}
			if v.WantStatus == "ok" && string(out["payload"]) == "null" {
				t.Error("payload is null on an ok token")
			}
			assertNoControls(t, r.stdout)
		})
	}
}

func TestContextJSONFields(t *testing.T) {
	f := load(t)
	r := run(t, f.Get("valid").Token, nil, "context", "--json")
	var out struct {
		Status string `json:"status"`
		Input  struct {
			Encoding string   `json:"encoding"`
			Padded   bool     `json:"padded"`
			Repairs  []string `json:"repairs"`
			Chars    int      `json:"chars"`
			Bytes    int      `json:"bytes"`
		} `json:"input"`
		Fields []struct {
			Name   string `json:"name"`
			Offset int    `json:"offset"`
			Length int    `json:"length"`
			Hex    string `json:"hex"`
			Value  *int   `json:"value"`
		} `json:"fields"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	if out.Status != "no_secret" || r.code != 0 {
		t.Errorf("status %s exit %d, want no_secret 0", out.Status, r.code)
	}
	if out.Input.Encoding != "base64url" || out.Input.Padded || out.Input.Repairs == nil || out.Input.Chars != 332 || out.Input.Bytes != 249 {
		t.Errorf("input = %+v", out.Input)
	}
	if len(out.Fields) != 7 || out.Fields[0].Value == nil || *out.Fields[0].Value != 12 || out.Fields[1].Value != nil ||
		out.Fields[1].Hex != "a10f0f2a00efbbcec082c597" || out.Fields[6].Offset != 233 {
		t.Errorf("fields = %+v", out.Fields)
	}
}

func TestPKCE(t *testing.T) {
	const verifier = "OoRepCjjX8P4perVeWHK-5TKSfyZLPuCjirkjY3hh7I"
	const legacy = "YWRmMTUyNGZkODZlMDFiMTI4ZTQ1M2Y0NzExYWNkNWJjZDc2NWU2ZTRjMDYxMWVjYmJiZmZhMmNkYzRhOWYyOA=="
	t.Run("forum text", func(t *testing.T) {
		r := run(t, "", nil, "pkce", "--verifier", verifier, "--challenge", legacy)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		golden.RequireEqual(t, r.stdout)
	})
	t.Run("json", func(t *testing.T) {
		r := run(t, verifier+"\n", nil, "pkce", "--verifier", "-", "--challenge", "rfFST9huAbEo5FP0cRrNW812Xm5MBhHsu7_6LNxKnyg", "--json")
		var out struct {
			Verifier      string   `json:"verifier"`
			VerifierValid bool     `json:"verifier_valid"`
			Match         []string `json:"match"`
			Challenges    []struct {
				Method         string `json:"method"`
				Value          string `json:"value"`
				Length         int    `json:"length"`
				ValidChallenge bool   `json:"valid_challenge"`
			} `json:"challenges"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatal(err)
		}
		if out.Verifier != verifier || !out.VerifierValid || strings.Join(out.Match, ",") != "S256" || r.code != 0 {
			t.Errorf("out = %+v, exit %d", out, r.code)
		}
		if c := out.Challenges[1]; c.Method != "zoom-legacy" || c.Value != legacy || c.Length != 88 || c.ValidChallenge {
			t.Errorf("zoom-legacy = %+v", c)
		}
	})
	t.Run("no match exits 1", func(t *testing.T) {
		if r := run(t, "", nil, "pkce", "--verifier", verifier, "--challenge", "nope"); r.code != 1 || !strings.Contains(r.stdout, "match      none") {
			t.Errorf("exit %d\n%s", r.code, r.stdout)
		}
	})
	t.Run("bad verifier exits 1 and names the character", func(t *testing.T) {
		r := run(t, "", nil, "pkce", "--verifier", strings.Repeat("a", 43)+"+")
		if r.code != 1 || !strings.Contains(r.stdout, "'+' at position 43 is not allowed") {
			t.Errorf("exit %d\n%s", r.code, r.stdout)
		}
	})
	t.Run("generate", func(t *testing.T) {
		r := run(t, "", nil, "pkce", "--length", "64", "--json")
		var out struct {
			Verifier  string `json:"verifier"`
			Generated bool   `json:"generated"`
		}
		json.Unmarshal([]byte(r.stdout), &out)
		if len(out.Verifier) != 64 || !out.Generated || r.code != 0 {
			t.Errorf("generated %q (%d), exit %d", out.Verifier, len(out.Verifier), r.code)
		}
	})
}

func TestSealRoundTrip(t *testing.T) {
	secret := "Zs3alS3cretF0rZoomdbgRoundTrip01"
	p := secretFile(t, secret, 0o600)
	sealed := run(t, `{"typ":"panel","uid":"u-123"}`, nil, "seal", "--secret-file", p, "--fresh")
	if sealed.code != 0 {
		t.Fatalf("seal exit %d: %s", sealed.code, sealed.stderr)
	}
	r := run(t, sealed.stdout, map[string]string{cli.SecretEnv: secret}, "context", "--json")
	var out struct {
		Status  string          `json:"status"`
		Expired bool            `json:"expired"`
		Payload json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	json.Compact(&compact, out.Payload)
	if out.Status != "ok" || out.Expired || !strings.Contains(compact.String(), `"uid":"u-123"`) {
		t.Errorf("round trip: %+v", out)
	}
	if r := run(t, "not json", nil, "seal", "--secret-file", p); r.code != 2 || !strings.Contains(r.stderr, "--raw") {
		t.Errorf("non-JSON payload: exit %d %s", r.code, r.stderr)
	}
	if r := run(t, "{}", nil, "seal"); r.code != 2 || !strings.Contains(r.stderr, "exactly one secret") {
		t.Errorf("no secret: exit %d %s", r.code, r.stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"context", "--nope"}, "unknown flag: --nope"},
		{"two tokens", []string{"context", "a", "b"}, "accepts at most 1 arg"},
		{"bad screen", []string{"--screen", "scan"}, `--screen "scan"`},
		{"missing secret file", []string{"context", "x", "--secret-file", "/nonexistent/s"}, "no such file"},
		{"verifier and length", []string{"pkce", "--verifier", "x", "--length", "50"}, "give one"},
		{"length out of range", []string{"pkce", "--length", "20"}, "43-128"},
		{"duplicate labels", []string{"context", "x", "--secret-file", "a=/dev/null", "--secret-file", "a=/dev/null"}, "empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, "", nil, tc.args...)
			if r.code != cli.ExitUsage || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", r.code, r.stderr, tc.want)
			}
		})
	}
}

// TestSecretNeverPrinted runs every command with a marker secret from each source and searches
// all output for it; only the derived key may appear, and only with --reveal.
func TestSecretNeverPrinted(t *testing.T) {
	const marker = "MARKERsecretMARKERsecretMARKER01"
	f := load(t)
	p := secretFile(t, marker, 0o600)
	env := map[string]string{cli.SecretEnv: marker}
	tok := run(t, `{"uid":"x"}`, env, "seal").stdout
	runs := []result{
		run(t, tok, env, "context"),
		run(t, tok, env, "context", "--json"),
		run(t, tok, nil, "context", "--secret-file", p, "--reveal"),
		run(t, tok, nil, "context", "--secret-file", p, "--json", "--reveal"),
		run(t, tok, nil, "context", "--secret", marker),
		run(t, f.Get("valid").Token, env, "context", "--json"),
		run(t, "x!", env, "context"),
		run(t, "{}", nil, "seal", "--secret-file", p),
		run(t, "", env, "context", "--nope"),
	}
	// The OAuth commands, against a mock whose client secret is the marker.
	mock := &mockzoom.Server{ClientID: cli.MockClientID, ClientSecret: []byte(marker), PKCE: mockzoom.ModeS256, AutoApprove: true,
		User: mockzoom.User{ID: "u", Email: "e@example.com"}}
	srv := httptest.NewServer(mock.Handler())
	defer srv.Close()
	flowArgs := []string{"flow", "--mock", srv.URL, "--follow", "--redirect-uri", "http://127.0.0.1:0/callback"}
	runs = append(runs,
		run(t, "x-zoom-app-context: "+tok, env, "scan"),
		run(t, "x-zoom-app-context: "+tok, env, "scan", "--json"),
		run(t, "", env, append(flowArgs, "--json")...),
		run(t, "", env, flowArgs...),
		run(t, "", nil, append(flowArgs, "--secret-file", p)...),
		run(t, "", env, "pkce"),
	)
	// check, against a backend that refuses everything, so the diagnosis probes run too.
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(401) }))
	defer refuse.Close()
	runs = append(runs, run(t, "", env, "check", refuse.URL), run(t, "", nil, "check", refuse.URL, "--secret-file", p, "--json"))
	if r := runs[len(runs)-3]; r.code != 0 {
		t.Fatalf("flow with the marker secret failed: %s", r.stdout)
	}
	// The secret in every form it could be printed in: raw, hex (the raw derivation's key is the
	// secret), base64 and inside a Basic header.
	forms := []string{marker, "MARKERsecret", hex.EncodeToString([]byte(marker))[:24], base64.StdEncoding.EncodeToString([]byte(marker))[:24],
		base64.StdEncoding.EncodeToString([]byte(cli.MockClientID + ":" + marker))}
	for i, r := range runs {
		out := strings.ToLower(r.stdout + r.stderr)
		for _, form := range forms {
			if strings.Contains(out, strings.ToLower(form)) {
				t.Errorf("run %d printed the secret as %q:\n%s\n%s", i, form, r.stdout, r.stderr)
			}
		}
	}
	if !strings.Contains(runs[2].stdout, appctx.SecretNotShown) || !strings.Contains(runs[3].stdout, appctx.SecretNotShown) {
		t.Errorf("--reveal: the raw derivation's key should read %q:\n%s", appctx.SecretNotShown, runs[2].stdout)
	}
	sum := sha256.Sum256([]byte(marker))
	key := hex.EncodeToString(sum[:])
	if !strings.Contains(runs[2].stdout, key) || !strings.Contains(runs[3].stdout, key) || strings.Contains(runs[0].stdout+runs[1].stdout, key) {
		t.Error("--reveal should show the derived key, and only with --reveal")
	}
	if !strings.Contains(runs[4].stderr, "shell history") {
		t.Error("--secret gives no warning")
	}
}

func TestSecretFileWarnings(t *testing.T) {
	f := load(t)
	open := secretFile(t, f.Secrets["dev"], 0o644)
	r := run(t, f.Get("valid").Token, nil, "context", "--secret-file", open)
	if r.code != 0 || !strings.Contains(r.stderr, "readable by group or others (mode 0644)") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	// One trailing newline is trimmed, so a file written by `echo` works.
	if !strings.Contains(r.stdout, "verdict   ok") {
		t.Errorf("secret file with a trailing newline did not open the token:\n%s", r.stdout)
	}
}

func TestRootOpensTUI(t *testing.T) {
	f := load(t)
	p := secretFile(t, f.Secrets["dev"], 0o600)
	r := run(t, "tok-from-stdin\n", nil, "-", "--secret-file", "dev="+p, "--client-id", "cid")
	s := r.session
	if r.code != 0 || s == nil || s.Token != "tok-from-stdin\n" || len(s.Secrets) != 1 || s.Secrets[0].Label != "dev" ||
		s.ClientID != "cid" || s.Screen != "context" {
		t.Fatalf("exit %d session %+v stderr %s", r.code, s, r.stderr)
	}
	r = run(t, "", nil, "--screen", "pkce", "--verifier", "v")
	if r.session == nil || r.session.Screen != "pkce" || r.session.Verifier != "v" || r.session.Token != "" {
		t.Errorf("session %+v", r.session)
	}
	r = run(t, "", nil, "--demo")
	if r.session == nil || !r.session.Demo {
		t.Errorf("session %+v", r.session)
	}
}

// TestCommandLineEdges: the rough edges a new user meets first.
func TestCommandLineEdges(t *testing.T) {
	env := map[string]string{cli.SecretEnv: "abcdefghijabcdefghijabcdefghij12"}
	tests := []struct {
		name      string
		stdin     string
		args      []string
		code      int
		out, err  string
		noHelpRef bool
	}{
		{"version flag", "", []string{"--version"}, 0, "zoomdbg ", "", true},
		{"version command", "", []string{"version"}, 0, "zoomdbg ", "", true},
		{"mistyped command", "", []string{"verison"}, 2, "", `unknown command "verison"; did you mean "version"?`, false},
		{"a word, not a token", "", []string{"hello"}, 2, "", `unknown command "hello": a token is a long base64 string`, false},
		{"seal an array", "[1]", []string{"seal"}, 2, "", "standard input is a JSON array, not a JSON object", true},
		{"seal not JSON", "x{", []string{"seal"}, 2, "", "standard input is not JSON (invalid character 'x' looking for beginning of value at byte 0)", true},
		{"binary input", "\x1f\x8b\x08\x00", []string{"context", "-"}, 2, "", "standard input is binary (byte 1 is 0x8b)", true},
		{"empty stdin, no dash", "", []string{"context"}, 1, "no token: the input is empty", "", true},
		{"empty stdin, dash", "", []string{"context", "-"}, 1, "no token: the input is empty", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, tt.stdin, env, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stdout, tt.out) || !strings.Contains(r.stderr, tt.err) {
				t.Errorf("exit %d, want %d\nstdout %q (want %q)\nstderr %q (want %q)", r.code, tt.code, r.stdout, tt.out, r.stderr, tt.err)
			}
			if tt.noHelpRef && strings.Contains(r.stderr, "--help") {
				t.Errorf("not a usage error, yet: %s", r.stderr)
			}
			if strings.Contains(r.stdout+r.stderr, "Go value") || strings.Contains(r.stdout+r.stderr, "json.RawMessage") {
				t.Errorf("Go internals in a message: %s%s", r.stdout, r.stderr)
			}
		})
	}
}

// TestNoTerminal: without a terminal on standard output the root says so, instead of opening a
// TUI that cannot draw.
func TestNoTerminal(t *testing.T) {
	var out, errb bytes.Buffer
	opened := false
	e := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" },
		Now: time.Now, Rand: bytes.NewReader(nil)}
	code := cli.Main([]string{"--demo"}, e, cli.Debugger{Open: func(cli.Session) error { opened = true; return nil }})
	if opened || code != 2 || !strings.Contains(errb.String(), "needs a terminal") || !strings.Contains(errb.String(), "zoomdbg context") {
		t.Errorf("opened %v, exit %d, stderr %q", opened, code, errb.String())
	}
}

// TestDemoStartsMock: --demo serves a mock Zoom on loopback while the TUI is open, and points
// the Flow screen at it; afterwards the server is gone.
func TestDemoStartsMock(t *testing.T) {
	var out, errb bytes.Buffer
	var s cli.Session
	status := 0
	e := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" },
		Now: time.Now, Rand: bytes.NewReader(nil), StdoutIsTTY: true}
	code := cli.Main([]string{"--demo"}, e, cli.Debugger{Open: func(got cli.Session) error {
		s = got
		resp, err := http.Get(got.DemoMock + "/v2/users/me")
		if err != nil {
			return err
		}
		resp.Body.Close()
		status = resp.StatusCode
		return nil
	}})
	if code != 0 || !strings.HasPrefix(s.DemoMock, "http://127.0.0.1:") || status != http.StatusUnauthorized ||
		!strings.HasPrefix(s.Flow.TokenURL, s.DemoMock) || s.Flow.ClientID != cli.MockClientID {
		t.Fatalf("exit %d, mock %q answered %d, flow %+v\n%s", code, s.DemoMock, status, s.Flow, errb.String())
	}
	if _, err := http.Get(s.DemoMock + "/v2/users/me"); err == nil {
		t.Error("the demo's mock still answers after the TUI closed")
	}
	// A server chosen on the command line wins over the demo's.
	r := run(t, "", nil, "--demo", "--mock", "http://127.0.0.1:9")
	if r.session == nil || r.session.DemoMock != "" || !strings.HasPrefix(r.session.Flow.TokenURL, "http://127.0.0.1:9") {
		t.Errorf("session %+v", r.session)
	}
}

// TestWarningsReachTUI: the warnings printed on stderr also travel to the TUI, which hides stderr.
func TestWarningsReachTUI(t *testing.T) {
	f := load(t)
	p := secretFile(t, f.Secrets["dev"], 0o644)
	r := run(t, "", nil, "--secret-file", "dev="+p, "--secret", "x")
	if r.session == nil || len(r.session.Warnings) != 2 || !strings.Contains(r.session.Warnings[0], "readable by group or others") ||
		!strings.Contains(r.session.Warnings[1], "shell history") {
		t.Fatalf("session %+v", r.session)
	}
}

// TestVerdictNamesTheCause: when a secret opens the token only trimmed, the verdict says so and
// the whitespace cause is listed once.
func TestVerdictNamesTheCause(t *testing.T) {
	f := load(t)
	r := run(t, f.Get("valid").Token, map[string]string{cli.SecretEnv: f.Secrets["dev"] + "\n"}, "context", "--json")
	var out struct {
		Status string   `json:"status"`
		Causes []string `json:"causes"`
	}
	json.Unmarshal([]byte(r.stdout), &out)
	text := run(t, f.Get("valid").Token, map[string]string{cli.SecretEnv: f.Secrets["dev"] + "\n"}, "context")
	if !strings.Contains(text.stdout, `verdict   tag mismatch: it opens with secret "ZOOM_CLIENT_SECRET" trimmed: the secret has whitespace around it`) {
		t.Errorf("verdict:\n%s", text.stdout)
	}
	n := 0
	for _, c := range out.Causes {
		if strings.Contains(c, "whitespace") {
			n++
		}
	}
	if out.Status != "tag_mismatch" || n != 1 {
		t.Errorf("status %s, causes %q: the whitespace cause %d times", out.Status, out.Causes, n)
	}
}

// TestEmptyInlineSecretIsUsage: --secret "" (an unset shell variable) is a usage error, as the
// README's exit-status table says of an empty secret, not a silent run with no secret.
func TestEmptyInlineSecretIsUsage(t *testing.T) {
	f := load(t)
	tok := f.Get("valid").Token
	for _, args := range [][]string{
		{"context", "--secret", "", tok},
		{"context", "--json", "--secret=", tok},
		{"scan", "--secret", "", "-"},
		{"webhook", "--secret-token", "", "-"},
	} {
		r := run(t, tok, nil, args...)
		if r.code != 2 || !strings.Contains(r.stderr, "is empty (an unset shell variable?)") {
			t.Errorf("%q: exit %d, stderr %q; want 2 and the empty flag named", args, r.code, r.stderr)
		}
	}
}

// TestNoTokenSaidOnce: an empty input's verdict line says "no token" once, not "no token: no token:".
func TestNoTokenSaidOnce(t *testing.T) {
	for _, in := range []string{"", "   \n"} {
		r := run(t, in, nil, "context", "-")
		line, _, _ := strings.Cut(r.stdout, "\n")
		if r.code != 1 || strings.Count(line, "no token") != 1 {
			t.Errorf("context on %q: exit %d, verdict line %q; want exit 1 and \"no token\" once", in, r.code, line)
		}
	}
}

// TestSealOnTerminalSaysSo: seal with standard input on a terminal says how to give the payload
// (exit 2), as context, webhook and webhook sign do, instead of waiting silently for it.
func TestSealOnTerminalSaysSo(t *testing.T) {
	f := load(t)
	var out, errb bytes.Buffer
	e := cli.Env{Stdin: blockingReader{}, Stdout: &out, Stderr: &errb, StdinIsTTY: true,
		Getenv: func(k string) string { return map[string]string{cli.SecretEnv: f.Secrets["dev"]}[k] },
		Now:    func() time.Time { return fixtureNow }, Rand: bytes.NewReader(bytes.Repeat([]byte{1}, 64))}
	done := make(chan int, 1)
	go func() { done <- cli.Main([]string{"seal", "--fresh"}, e, cli.Debugger{}) }()
	select {
	case code := <-done:
		if code != 2 || !strings.Contains(errb.String(), "no payload: pipe a JSON object") || out.Len() != 0 {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("seal waits on a terminal without a word")
	}
}

// blockingReader is a terminal nobody types into.
type blockingReader struct{}

func (blockingReader) Read([]byte) (int, error) { select {} }
