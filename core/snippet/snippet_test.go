package snippet

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/pkce"
	"github.com/zoomdbg/zoomdbg/fixtures"
)

// freshTokens seals a token with the fixtures' dev secret at the time of the test, so it is
// unexpired, and one with another secret.
func freshTokens(t *testing.T) (secret, clientID, valid, other string, payload []byte) {
	t.Helper()
	f, err := fixtures.Load()
	if err != nil {
		t.Fatal(err)
	}
	exp := time.Now().UnixMilli() + 120000
	payload = fmt.Appendf(nil, `{"typ":"panel","uid":"MPjq6UmhQWWBP4Yuf-FARg","ts":%d,"exp":%d,"iss":"marketplace.zoom.us","aud":%q,"name":"Zoë 李雷"}`,
		exp-120000, exp, f.ClientID)
	seal := func(secret string) string {
		tok, err := appctx.Seal(appctx.ZoomKey([]byte(secret)), payload, nil, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	return f.Secrets["dev"], f.ClientID, seal(f.Secrets["dev"]), seal(f.Secrets["prod"]), payload
}

// writeProgram saves lang's program of kind k, and its command-line companion, into dir.
func writeProgram(t *testing.T, l Language, k Kind, dir string) {
	t.Helper()
	files := map[string]string{l.Program(k).File: l.Source(k)}
	if c := l.Program(k).CLI; c != "" {
		files[c] = l.CLISource(k)
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// runner returns the command that runs lang's program of kind k from a fresh directory. Go and
// Java are compiled once there (go build, javac --release 11) so a battery does not pay a compile
// per case; TestAppContextCommands runs each exactly as the README says.
func runner(t *testing.T, l Language, k Kind) []string {
	t.Helper()
	dir := t.TempDir()
	writeProgram(t, l, k, dir)
	argv := l.Argv(k, dir)
	if l.Name == "webcrypto" {
		argv[0] = runtime(t, webNode)
	}
	need(t, argv[0])
	if b := l.Program(k).Build; len(b) > 0 {
		need(t, b[0])
		bargv := make([]string, len(b))
		for i, a := range b {
			bargv[i] = strings.ReplaceAll(a, "{file}", l.Program(k).File)
		}
		build(t, dir, bargv...)
		return append(argv[:1:1], filepath.Join(dir, argv[len(argv)-1]))
	}
	switch l.Name {
	case "go":
		bin := filepath.Join(dir, "prog")
		build(t, dir, "go", "build", "-o", bin, l.Program(k).File)
		return []string{bin}
	case "java":
		return []string{"java", "-cp", javaClasses(t), strings.TrimSuffix(l.Program(k).File, ".java")}
	}
	if argv[0] == "python3" {
		argv[0] = python3(t)
	}
	return argv
}

var python3Once struct {
	sync.Once
	path string
}

// python3 is the interpreter python3 runs, resolved once: pyenv's shim is a shell script that
// costs more than the program it starts.
func python3(t *testing.T) string {
	t.Helper()
	python3Once.Do(func() {
		out, err := exec.Command("python3", "-c", "import sys; print(sys.executable)").Output()
		if p := strings.TrimSpace(string(out)); err == nil && p != "" {
			python3Once.path = p
		}
	})
	if python3Once.path == "" {
		need(t, "python3")
		return "python3"
	}
	return python3Once.path
}

func need(t *testing.T, prog string) {
	t.Helper()
	if _, err := exec.LookPath(prog); err != nil {
		t.Fatalf("%s is not installed: every shipped snippet must be run by the tests (.ci/run installs the runtimes)", prog)
	}
}

func command(dir string, argv ...string) *exec.Cmd {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	return cmd
}

func build(t *testing.T, dir string, argv ...string) {
	t.Helper()
	cmd := command(dir, argv...)
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
	return runIn(t, "", argv, env)
}

func runIn(t *testing.T, dir string, argv []string, env []string) result {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
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
	if len(argv) > 1 && argv[0] == "go" && argv[1] == "run" && r.code == 1 {
		// go run exits 1 for any failure and says the program's own status on a last line.
		if i := strings.LastIndex(strings.TrimSuffix(r.stderr, "\n"), "\nexit status "); i >= 0 {
			fmt.Sscanf(r.stderr[i:], "\nexit status %d", &r.code)
			r.stderr = r.stderr[:i+1]
		}
	}
	return r
}

// TestAppContextCommands runs each app-context program exactly as `zoomdbg snippet` tells people
// to (go run, java File.java, node zoom-app-context-cli.mjs, ...): a fresh token prints its payload
// and exits 0, a refused one prints one line naming the verdict and reason and exits 1, and no
// token prints the usage and exits 2. The verdicts themselves are TestVerdictTable's.
func TestAppContextCommands(t *testing.T) {
	secret, clientID, valid, other, payload := freshTokens(t)
	for _, l := range Languages {
		t.Run(l.Name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeProgram(t, l, AppContext, dir)
			argv := l.Argv(AppContext, "")
			if l.Name == "webcrypto" {
				argv[0] = runtime(t, webNode)
			}
			need(t, argv[0])
			env := []string{"ZOOM_CLIENT_SECRET=" + secret, "ZOOM_CLIENT_ID=" + clientID}

			r := runIn(t, dir, append(argv, valid), env)
			var got, want any
			json.Unmarshal(payload, &want)
			if err := json.Unmarshal([]byte(r.stdout), &got); r.code != 0 || err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("%s VALID: exit %d, stdout %q, stderr %q; want the payload %s", l.Command(AppContext), r.code, r.stdout, r.stderr, payload)
			}
			// The refusals run compiled (go build, javac once): the documented command is proven above.
			compiled := runner(t, l, AppContext)
			for _, c := range []struct{ token, want string }{
				{other, "refused: tag_mismatch/tag: "},
				{"not a token!", "refused: malformed/bad_char: "},
				{strings.Repeat("=", 100000), "refused: malformed/too_long: "},
			} {
				r := run(t, append(compiled, c.token), env)
				line := strings.TrimSuffix(r.stderr, "\n")
				if r.code != 1 || r.stdout != "" || strings.Contains(line, "\n") || !strings.HasPrefix(line, c.want) {
					t.Errorf("%s %.20s: exit %d, stdout %q, stderr %q; want exit 1 and one line %q...", l.Command(AppContext), c.token, r.code, r.stdout, r.stderr, c.want)
				}
			}
			if r := runIn(t, dir, argv, env); r.code != 2 || !strings.HasPrefix(r.stderr, "usage: ") {
				t.Errorf("%s without a token: exit %d, stderr %q; want the usage and exit 2", l.Command(AppContext), r.code, r.stderr)
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
		// The boundaries of RFC 7636 section 4.1, with every unreserved punctuation character.
		{strings.Repeat("a", 40) + "-._", pkce.Value(pkce.S256, strings.Repeat("a", 40)+"-._"), ""},
		{strings.Repeat("Zz09-._~", 16), pkce.Value(pkce.S256, strings.Repeat("Zz09-._~", 16)), ""},
	}
	// Verifiers every program must refuse with one line and exit 2 (never a challenge, never a crash).
	invalid := map[string]string{
		"short":          "short",
		"129 characters": strings.Repeat("a", 129),
		"a quote":        strings.Repeat("a", 43) + `"`,
		"a space":        strings.Repeat("a", 20) + " " + strings.Repeat("a", 22),
		"non-ASCII":      strings.Repeat("é", 43),
		"empty":          "",
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
	for _, l := range append(append([]Language(nil), Languages...), PKCEOnly...) {
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
			for name, v := range invalid {
				r := run(t, append(argv, v), nil)
				line := strings.TrimSuffix(r.stderr, "\n")
				if r.code != 2 || r.stdout != "" || line == "" || strings.Contains(line, "\n") || !strings.Contains(line, "RFC 7636") {
					t.Errorf("verifier with %s: exit %d, stdout %q, stderr %q; want one line naming RFC 7636 and exit 2", name, r.code, r.stdout, r.stderr)
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

func TestLookup(t *testing.T) {
	tests := []struct {
		name, want, wantErr string
	}{
		{name: "Python", want: "python"},
		{name: "js", want: "node"},
		{name: "deno", want: "webcrypto"},
		{name: "golang", want: "go"},
		{name: "c#", want: "csharp"},
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

// TestWebCryptoCommands runs the Web Crypto CLI the ways its header documents (node, bun, and
// deno run with exactly the permissions it names), and imports both modules from files named
// like them (context.mjs, app-context.mjs, pkce.mjs): importing must never act as a program.
func TestWebCryptoCommands(t *testing.T) {
	secret, clientID, valid, _, _ := freshTokens(t)
	l, _ := Lookup("webcrypto")
	dir := t.TempDir()
	writeProgram(t, l, AppContext, dir)
	writeProgram(t, l, PKCE, dir)
	env := []string{"ZOOM_CLIENT_SECRET=" + secret, "ZOOM_CLIENT_ID=" + clientID}
	cli := l.Program(AppContext).CLI
	cli2 := l.Program(PKCE).CLI
	for _, argv := range [][]string{
		{runtime(t, webNode), cli, valid},
		{runtime(t, runtimeBun), cli, valid},
		{runtime(t, runtimeDeno), "run", "--allow-env=ZOOM_CLIENT_SECRET,ZOOM_CLIENT_ID", cli, valid},
	} {
		r := runIn(t, dir, argv, env)
		if r.code != 0 || !strings.Contains(r.stdout, `"uid":"MPjq6UmhQWWBP4Yuf-FARg"`) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", filepath.Base(argv[0]), r.code, r.stdout, r.stderr)
		}
		if !strings.Contains(l.CLISource(AppContext), strings.Join(append([]string{filepath.Base(argv[0])}, argv[1:len(argv)-1]...), " ")) {
			t.Errorf("the CLI's header does not document %s", strings.Join(argv[:len(argv)-1], " "))
		}
	}
	for _, argv := range [][]string{{runtime(t, webNode), cli2}, {runtime(t, runtimeDeno), "run", cli2}, {runtime(t, runtimeBun), cli2}} {
		if r := runIn(t, dir, argv, nil); r.code != 0 || !strings.Contains(r.stdout, `"code_challenge_method":"S256"`) {
			t.Errorf("%s %s: exit %d, stdout %q, stderr %q", filepath.Base(argv[0]), cli2, r.code, r.stdout, r.stderr)
		}
	}
	importer := "import * as a from './zoom-app-context.mjs';\nimport * as p from './zoom-pkce.mjs';\n" +
		"console.log('imported', typeof a.decryptAppContext, typeof p.s256Challenge);\n"
	for _, name := range []string{"context.mjs", "app-context.mjs", "pkce.mjs", "zoom-pkce-cli2.mjs"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(importer), 0o644); err != nil {
			t.Fatal(err)
		}
		if r := runIn(t, dir, []string{runtime(t, webNode), name, "ARG"}, env); r.code != 0 || r.stdout != "imported function function\n" {
			t.Errorf("a server named %s importing the modules: exit %d, stdout %q, stderr %q", name, r.code, r.stdout, r.stderr)
		}
	}
}

// TestCSharpAesGcm proves the README's reason for shipping no C# app-context program: Mono, the
// C# runtime Debian packages, throws PlatformNotSupportedException from AesGcm. The day this
// fails, a C# decrypt can ship.
func TestCSharpAesGcm(t *testing.T) {
	need(t, "mcs")
	need(t, "mono")
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("testdata", "csharp", "AesGcmProbe.cs"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "AesGcmProbe.cs"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	build(t, dir, "mcs", "-out:probe.exe", "AesGcmProbe.cs")
	r := run(t, []string{"mono", filepath.Join(dir, "probe.exe")}, nil)
	if !strings.HasPrefix(r.stdout, "System.PlatformNotSupportedException") {
		t.Errorf("Mono's AesGcm: %q; if it now works, ship a C# app-context program", r.stdout)
	}
}
