package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/zoomdbg/zoomdbg/core/snippet"
)

func TestSnippetCommand(t *testing.T) {
	py, _ := snippet.Lookup("python")
	wc, _ := snippet.Lookup("webcrypto")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string // exact, when set
		wantIn     string // a fragment of stdout or stderr
	}{
		{name: "source", args: []string{"snippet", "python"}, wantStdout: py.Source(snippet.AppContext)},
		{name: "pkce", args: []string{"snippet", "py", "--pkce"}, wantStdout: py.Source(snippet.PKCE)},
		{name: "list", args: []string{"snippet", "--list"}, wantIn: "java ZoomAppContext.java TOKEN"},
		{name: "no language", args: []string{"snippet"}, wantCode: 2, wantIn: "want one of python, node, webcrypto, go, java, php, ruby"},
		{name: "unknown", args: []string{"snippet", "cobol"}, wantCode: 2, wantIn: `no snippet for "cobol"`},
		{name: "csharp says why", args: []string{"snippet", "C#"}, wantCode: 2, wantIn: "no runtime that runs AesGcm installs"},
		{name: "csharp pkce", args: []string{"snippet", "csharp", "--pkce"}, wantIn: "mcs ZoomPkce.cs && mono ZoomPkce.exe"},
		{name: "list names csharp", args: []string{"snippet", "--list"}, wantIn: "mcs -out:ZoomPkce.exe ZoomPkce.cs && mono ZoomPkce.exe [VERIFIER]"},
		{name: "webcrypto cli", args: []string{"snippet", "deno", "--cli"}, wantStdout: wc.CLISource(snippet.AppContext),
			wantIn: "deno run --allow-env=ZOOM_CLIENT_SECRET,ZOOM_CLIENT_ID zoom-app-context-cli.mjs TOKEN"},
		{name: "cli for a program that runs alone", args: []string{"snippet", "python", "--cli"}, wantCode: 2, wantIn: "has no --cli companion"},
		{name: "list says versions", args: []string{"snippet", "--list"}, wantIn: "Ruby 3.0+"},
		{name: "list with a language", args: []string{"snippet", "--list", "go"}, wantCode: 2, wantIn: "--list takes no language"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, "", nil, tt.args...)
			if r.code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr %s", r.code, tt.wantCode, r.stderr)
			}
			if tt.wantStdout != "" && r.stdout != tt.wantStdout {
				t.Errorf("stdout is not the embedded source (%d bytes, want %d)", len(r.stdout), len(tt.wantStdout))
			}
			if !strings.Contains(r.stdout+r.stderr, tt.wantIn) {
				t.Errorf("output lacks %q:\n%s%s", tt.wantIn, r.stdout, r.stderr)
			}
		})
	}
}

func TestSnippetJSON(t *testing.T) {
	r := run(t, "", nil, "snippet", "--list", "--json")
	var list []struct {
		Language   string `json:"language"`
		AppContext struct {
			File, Run string
		} `json:"app_context"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) != len(snippet.Languages)+len(snippet.PKCEOnly) {
		t.Fatalf("list: %v, %d entries: %s", err, len(list), r.stdout)
	}
	if list[3].Language != "go" || list[3].AppContext.Run != "go run appcontext.go" {
		t.Errorf("go entry = %+v", list[3])
	}
	r = run(t, "", nil, "snippet", "ruby", "--json")
	var one struct{ Language, File, Run, Source string }
	if err := json.Unmarshal([]byte(r.stdout), &one); err != nil || one.File != "zoom_app_context.rb" || !strings.Contains(one.Source, "TAG_SIZE = 16") {
		t.Errorf("ruby --json: %v %+v", err, one)
	}
}

func TestExplainCommand(t *testing.T) {
	trace := "Traceback (most recent call last):\n  File \"views.py\", line 40, in decrypt\n    raise InvalidTag\ncryptography.exceptions.InvalidTag\n"
	r := run(t, trace, nil, "explain", "-")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "Python (cryptography): InvalidTag\n") || !strings.Contains(r.stdout, "1. the key is not SHA-256") {
		t.Errorf("explain -: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", nil, "explain", "--json", "Error: Unsupported state or unable to authenticate data")
	var out struct {
		Recognised bool
		Language   string
		Causes     []string
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || !out.Recognised || out.Language != "Node.js (crypto)" || len(out.Causes) < 3 {
		t.Errorf("explain --json: %v %+v", err, out)
	}
	r = run(t, "", nil, "explain", "ECONNREFUSED")
	if r.code != 1 || !strings.Contains(r.stdout, "It recognises") {
		t.Errorf("unknown error: exit %d %s", r.code, r.stdout)
	}
	if r = run(t, "", nil, "explain"); r.code != 2 {
		t.Errorf("explain with nothing: exit %d, want 2", r.code)
	}
}

// TestContextRecognisesAnErrorMessage: a developer who pastes the error instead of the token is
// told so, and where the causes are.
func TestContextRecognisesAnErrorMessage(t *testing.T) {
	r := run(t, "", nil, "context", "javax.crypto.AEADBadTagException: Tag mismatch!")
	if r.code != 1 || !strings.HasPrefix(r.stdout, `verdict   no token: this is Java (javax.crypto)'s error "AEADBadTagException: Tag mismatch"`) {
		t.Errorf("exit %d:\n%s", r.code, r.stdout)
	}
}

// TestSnippetHelpNamesWebhook: snippet's usage and help say what --webhook prints and how it runs,
// as they do for --pkce.
func TestSnippetHelpNamesWebhook(t *testing.T) {
	r := run(t, "", nil, "snippet", "--help")
	for _, want := range []string{"snippet LANG [--pkce | --webhook]", "--webhook prints the webhook program", "ZOOM_WEBHOOK_SECRET_TOKEN=... <run> TIMESTAMP SIGNATURE"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("snippet --help lacks %q:\n%s", want, r.stdout)
		}
	}
}
