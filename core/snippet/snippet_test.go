package snippet

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/pkce"
	"github.com/zoomdbg/zoomdbg/fixtures"
)

// tokenCase is one token every app-context snippet is run on, with what a correct backend does.
type tokenCase struct {
	name     string
	token    string
	clientID string
	accept   bool
	payload  []byte // the payload an accepted token must print
	refusal  string // a fragment the refusal line must hold
}

// cases seals the battery with the fixtures' dev secret at the time of the test, so the valid
// tokens are unexpired, and breaks copies of them the ways the issue lists.
func cases(t *testing.T) (secret string, cs []tokenCase) {
	t.Helper()
	f, err := fixtures.Load()
	if err != nil {
		t.Fatal(err)
	}
	secret = f.Secrets["dev"]
	now := time.Now().UnixMilli()
	payload := func(exp int64, aud string) []byte {
		return fmt.Appendf(nil, `{"typ":"panel","uid":"MPjq6UmhQWWBP4Yuf-FARg","ts":%d,"exp":%d,"iss":"marketplace.zoom.us","aud":%q,"name":"Zoë 李雷"}`,
			exp-120000, exp, aud)
	}
	seal := func(key, pt, aad []byte) []byte {
		tok, err := appctx.Seal(key, pt, aad, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := base64.RawURLEncoding.DecodeString(tok)
		return b
	}
	enc := base64.RawURLEncoding.EncodeToString
	dev := appctx.ZoomKey([]byte(secret))
	good := payload(now+120000, f.ClientID)
	valid := seal(dev, good, nil)
	withAAD := seal(dev, good, []byte("zoomdbg-test-aad"))
	other := seal(appctx.ZoomKey([]byte(f.Secrets["prod"])), good, nil)
	expired := seal(dev, payload(now-60000, f.ClientID), nil)
	wrongAud := seal(dev, payload(now+120000, "anotherAppsClientId001"), nil)
	hkdf := appctx.Derive(appctx.DeriveHKDF, appctx.Secret{Value: []byte(secret)})
	return secret, []tokenCase{
		{name: "valid", token: enc(valid), accept: true, payload: good},
		{name: "valid with client id", token: enc(valid), clientID: f.ClientID, accept: true, payload: good},
		{name: "valid padded", token: base64.URLEncoding.EncodeToString(valid), accept: true, payload: good},
		{name: "with aad", token: enc(withAAD), accept: true, payload: good},
		{name: "another secret", token: enc(other), refusal: "tag mismatch"},
		{name: "hkdf key", token: enc(seal(hkdf.Bytes, good, nil)), refusal: "tag mismatch"},
		{name: "tag cut to 4 bytes", token: enc(valid[:len(valid)-12]), refusal: "tag"},
		{name: "trailing bytes", token: enc(append(append([]byte{}, valid...), 0xde, 0xad)), refusal: "tag"},
		{name: "truncated", token: enc(valid[:len(valid)-40]), refusal: "ciphertext"},
		{name: "expired", token: enc(expired), refusal: "expired"},
		{name: "wrong aud", token: enc(wrongAud), clientID: f.ClientID, refusal: "aud"},
		{name: "not base64url", token: "not a token!", refusal: "base64"},
	}
}

// runner returns the command that runs lang's program of kind k from a fresh directory. Go and
// Java are compiled once there (go build, javac) so the battery does not pay a compile per case;
// TestDocumentedCommands runs each exactly as the README says.
func runner(t *testing.T, l Language, k Kind) []string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, l.Program(k).File)
	if err := os.WriteFile(path, []byte(l.Source(k)), 0o644); err != nil {
		t.Fatal(err)
	}
	need(t, l.Argv(k, path)[0])
	switch l.Name {
	case "go":
		bin := filepath.Join(dir, "prog")
		build(t, dir, "go", "build", "-o", bin, path)
		return []string{bin}
	case "java":
		need(t, "javac")
		build(t, dir, "javac", "-d", dir, path)
		return []string{"java", "-cp", dir, strings.TrimSuffix(l.Program(k).File, ".java")}
	}
	return l.Argv(k, path)
}

func need(t *testing.T, prog string) {
	t.Helper()
	if _, err := exec.LookPath(prog); err != nil {
		t.Fatalf("%s is not installed: every shipped snippet must be run by the tests (.ci/run installs the runtimes)", prog)
	}
}

func build(t *testing.T, dir string, argv ...string) {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
	}
}

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, argv []string, env []string) result {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", argv[0], err)
	}
	return r
}

// TestAppContextSnippets runs every language's app-context program on the battery: accepted
// tokens print the payload (compared as JSON), refused ones print one line and exit 1.
func TestAppContextSnippets(t *testing.T) {
	secret, cs := cases(t)
	for _, l := range Languages {
		t.Run(l.Name, func(t *testing.T) {
			t.Parallel()
			argv := runner(t, l, AppContext)
			for _, c := range cs {
				env := []string{"ZOOM_CLIENT_SECRET=" + secret, "ZOOM_CLIENT_ID=" + c.clientID}
				r := run(t, append(argv, c.token), env)
				if c.accept {
					if r.code != 0 {
						t.Errorf("%s: exit %d, want 0 (accepted); stderr: %s", c.name, r.code, r.stderr)
						continue
					}
					var got, want any
					if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
						t.Errorf("%s: stdout is not JSON: %v: %q", c.name, err, r.stdout)
					}
					json.Unmarshal(c.payload, &want)
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%s: payload\n got %s\nwant %s", c.name, r.stdout, c.payload)
					}
					continue
				}
				line := strings.TrimSpace(r.stderr)
				switch {
				case r.code != 1:
					t.Errorf("%s: exit %d, want 1 (refused); stdout %q stderr %q", c.name, r.code, r.stdout, r.stderr)
				case r.stdout != "":
					t.Errorf("%s: refused token printed %q on stdout", c.name, r.stdout)
				case strings.Contains(line, "\n") || !strings.HasPrefix(line, "refused: ") || !strings.Contains(line, c.refusal):
					t.Errorf("%s: refusal %q: want one line 'refused: ...' naming %q", c.name, line, c.refusal)
				}
			}
		})
	}
}

// TestPKCESnippets checks every language's PKCE program on RFC 7636 Appendix B and the forum
// thread's pair, and that a verifier it generates meets §4.1 and matches zoomdbg's S256.
func TestPKCESnippets(t *testing.T) {
	known := []struct{ verifier, s256, legacy string }{
		{"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", ""},
		{"OoRepCjjX8P4perVeWHK-5TKSfyZLPuCjirkjY3hh7I", "rfFST9huAbEo5FP0cRrNW812Xm5MBhHsu7_6LNxKnyg",
			"YWRmMTUyNGZkODZlMDFiMTI4ZTQ1M2Y0NzExYWNkNWJjZDc2NWU2ZTRjMDYxMWVjYmJiZmZhMmNkYzRhOWYyOA=="},
	}
	type out struct {
		Verifier string `json:"code_verifier"`
		S256     string `json:"code_challenge"`
		Method   string `json:"code_challenge_method"`
		Legacy   string `json:"zoom_legacy_challenge"`
	}
	parse := func(t *testing.T, r result) out {
		var o out
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if err := json.Unmarshal([]byte(r.stdout), &o); err != nil {
			t.Fatalf("stdout is not JSON: %v: %q", err, r.stdout)
		}
		return o
	}
	for _, l := range Languages {
		t.Run(l.Name, func(t *testing.T) {
			t.Parallel()
			argv := runner(t, l, PKCE)
			for _, k := range known {
				o := parse(t, run(t, append(argv, k.verifier), nil))
				if o.Verifier != k.verifier || o.S256 != k.s256 || o.Method != "S256" {
					t.Errorf("verifier %s: got %+v, want S256 %s", k.verifier, o, k.s256)
				}
				if want := pkce.Value(pkce.ZoomLegacy, k.verifier); o.Legacy != want || (k.legacy != "" && o.Legacy != k.legacy) {
					t.Errorf("verifier %s: zoom-legacy %s, want %s", k.verifier, o.Legacy, want)
				}
			}
			seen := map[string]bool{}
			for range 2 {
				o := parse(t, run(t, argv, nil))
				if p := pkce.Validate(o.Verifier); len(p) > 0 {
					t.Errorf("generated verifier %q breaks RFC 7636 §4.1: %v", o.Verifier, p)
				}
				if want := pkce.Value(pkce.S256, o.Verifier); o.S256 != want {
					t.Errorf("generated verifier %s: challenge %s, zoomdbg computes %s", o.Verifier, o.S256, want)
				}
				if seen[o.Verifier] {
					t.Errorf("two runs generated the same verifier %s", o.Verifier)
				}
				seen[o.Verifier] = true
			}
		})
	}
}

// TestDocumentedCommands runs each app-context program exactly as `zoomdbg snippet` tells people
// to (go run, java File.java, ...) on one fresh token.
func TestDocumentedCommands(t *testing.T) {
	secret, cs := cases(t)
	for _, l := range Languages {
		t.Run(l.Name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for _, k := range []Kind{AppContext, PKCE} {
				if err := os.WriteFile(filepath.Join(dir, l.Program(k).File), []byte(l.Source(k)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			argv := l.Argv(AppContext, l.Program(AppContext).File)
			need(t, argv[0])
			cmd := exec.Command(argv[0], append(argv[1:], cs[0].token)...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "ZOOM_CLIENT_SECRET="+secret)
			out, err := cmd.Output()
			if err != nil || !bytes.Contains(out, []byte(`"uid":"MPjq6UmhQWWBP4Yuf-FARg"`)) {
				t.Errorf("%s TOKEN: %v: %s", l.Command(AppContext), err, out)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name, want, wantErr string
	}{
		{name: "Python", want: "python"},
		{name: "js", want: "node"},
		{name: "deno", want: "webcrypto"},
		{name: "golang", want: "go"},
		{name: "c#", wantErr: "cannot be run"},
		{name: "cobol", wantErr: "want one of python, node, webcrypto, go, java, php, ruby"},
	}
	for _, tt := range tests {
		l, err := Lookup(tt.name)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Lookup(%q) error %v, want %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || l.Name != tt.want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", tt.name, l.Name, err, tt.want)
		}
	}
}

// TestExplainIsCoreExplain: the snippet package's Explain is core/explain's table (tested there).
func TestExplainIsCoreExplain(t *testing.T) {
	if f, ok := Explain("cryptography.exceptions.InvalidTag"); !ok || f.Language != "Python (cryptography)" {
		t.Errorf("Explain(InvalidTag) = %q, %v", f.Language, ok)
	}
}
