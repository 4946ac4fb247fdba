package cli_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/cli"
	"github.com/zoomdbg/zoomdbg/core/pkce"
	"github.com/zoomdbg/zoomdbg/core/snippet"
)

// complete asks zoomdbg what the shell should offer, as cobra's completion scripts do, and returns
// the offers without the trailing directive line.
func complete(t *testing.T, args ...string) []string {
	t.Helper()
	r := run(t, "", nil, append([]string{"__complete"}, args...)...)
	if r.code != 0 {
		t.Fatalf("__complete %q: exit %d\n%s", args, r.code, r.stderr)
	}
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if !strings.HasPrefix(l, ":") {
			out = append(out, strings.SplitN(l, "\t", 2)[0])
		}
	}
	return out
}

func TestCompletions(t *testing.T) {
	var methods []string
	for _, m := range pkce.Methods {
		methods = append(methods, string(m))
	}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"screens", []string{"--screen", ""}, []string{"context", "pkce", "flow", "check", "webhook"}},
		{"methods", []string{"flow", "--method", ""}, methods},
		{"method prefix", []string{"flow", "--method", "zo"}, []string{"zoom-legacy"}},
		{"compare list element", []string{"flow", "--compare=S256,pl"}, []string{"S256,plain"}},
		{"fail-on list element", []string{"scan", "--fail-on", "expired,ta"}, []string{"expired,tag_mismatch"}},
		{"compare list: no repeat, no all", []string{"flow", "--compare=S256,"}, []string{"S256,zoom-legacy", "S256,plain", "S256,S256-padded", "S256,S256-std"}},
		{"fail-on list: no repeat", []string{"scan", "--fail-on", "expired,e"}, nil},
		{"client auth", []string{"flow", "--client-auth", ""}, []string{"basic", "body", "none"}},
		{"via", []string{"check", "http://localhost/", "--via", "q"}, []string{"query:context"}},
		{"mock policy", []string{"mock-oauth", "--pkce", ""}, []string{"zoom", "off", "S256", "zoom-legacy", "plain", "any"}},
		{"snippet languages", []string{"snippet", ""}, snippet.Names()},
		{"prompt", []string{"flow", "--prompt", "c"}, []string{"consent"}},
		{"webhook events", []string{"webhook", "sign", "--event", "meeting.s"}, []string{"meeting.started"}},
		{"a token is not a file", []string{"context", ""}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := complete(t, tc.args...); strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestRootHelp: the top-level --help names the debugger's keys it is given, the environment and
// examples; a command's --help does not repeat them.
func TestRootHelp(t *testing.T) {
	var out bytes.Buffer
	e := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" },
		Now: time.Now, Rand: bytes.NewReader(nil)}
	if code := cli.Main([]string{"--help"}, e, cli.Debugger{Keys: "  Everywhere:  ctrl+c quit"}); code != 0 {
		t.Fatalf("exit %d\n%s", code, out.String())
	}
	for _, want := range []string{"Keys in the interactive debugger", "Everywhere:  ctrl+c quit", "Environment:", "ZOOM_CLIENT_SECRET",
		cli.WebhookSecretEnv, cli.ClientIDEnv, cli.ConfigEnv, "NO_COLOR", "Examples:", "zoomdbg --demo"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	cli.Main([]string{"context", "--help"}, e, cli.Debugger{Keys: "  Everywhere:  ctrl+c quit"})
	if strings.Contains(out.String(), "Keys in the interactive debugger") || strings.Contains(out.String(), "NO_COLOR") {
		t.Errorf("context --help repeats the root's keys or environment:\n%s", out.String())
	}
}
