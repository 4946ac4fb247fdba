package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zoomdbg/zoomdbg/core/config"
)

// TestConfigFillsSession: the config file fills what the command line leaves unset (secret files
// by label, client ID, check and flow settings, language, theme) and the remembered state the
// screen and method; flags and the environment win over it; a config holding a secret is refused.
func TestConfigFillsSession(t *testing.T) {
	f := load(t)
	dir := t.TempDir()
	secret := secretFile(t, f.Secrets["dev"], 0o600)
	cfg := filepath.Join(dir, config.ConfigFile)
	body := `{"client_id": "cfgClientId", "secret_files": [{"label": "dev", "path": "` + secret + `"}],
		"check": {"url": "https://localhost:3000/home?x=1", "via": "query:ctx"},
		"flow": {"mock": "http://127.0.0.1:9", "redirect_uri": "http://127.0.0.1:8700/cb"},
		"language": "ruby", "theme": "light"}`
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := config.SaveState(filepath.Join(dir, config.StateFile), config.State{Screen: "flow", Method: "zoom-legacy", Language: "go"}); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"ZOOMDBG_CONFIG": cfg}
	r := run(t, "", env)
	s := r.session
	if r.code != 0 || s == nil {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if len(s.Secrets) != 1 || s.Secrets[0].Label != "dev" || string(s.Secrets[0].Value) != f.Secrets["dev"] ||
		s.ClientID != "cfgClientId" || s.Check.URL != "https://localhost:3000/home?x=1" || s.Check.Via != "query:ctx" ||
		!strings.HasPrefix(s.Flow.TokenURL, "http://127.0.0.1:9") || s.Flow.RedirectURI != "http://127.0.0.1:8700/cb" ||
		s.Theme != "light" || s.Language != "go" || s.Screen != "flow" || s.Flow.Method != "zoom-legacy" ||
		s.StatePath != filepath.Join(dir, config.StateFile) {
		t.Fatalf("session from the config: %+v", s)
	}

	// A token on the command line opens on the App Context screen, not on the remembered one.
	if r = run(t, "", env, f.Get("valid").Token); r.session == nil {
		t.Fatalf("a token given: exit %d: %s", r.code, r.stderr)
	} else if r.session.Screen != "context" || r.session.Token == "" {
		t.Fatalf("a token given, with the Flow screen remembered: opens on %q", r.session.Screen)
	}

	env["ZOOM_CLIENT_ID"] = "envClientId"
	env["ZOOM_CLIENT_SECRET"] = "fromTheEnvironment0000000000000a"
	r = run(t, "", env, "--screen", "pkce", "--method", "S256", "--check-url", "https://other/")
	s = r.session
	if s == nil || s.ClientID != "envClientId" || len(s.Secrets) != 1 || s.Secrets[0].Label != "ZOOM_CLIENT_SECRET" ||
		s.Screen != "pkce" || s.Flow.Method != "S256" || s.Check.URL != "https://other/" {
		t.Fatalf("flags and the environment did not win: %+v", s)
	}

	if err := os.WriteFile(cfg, []byte(`{"secret": "s3cr3t"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(t, "", env)
	if r.code != 2 || !strings.Contains(r.stderr, "never holds a secret") || strings.Contains(r.stderr, "s3cr3t") {
		t.Fatalf("a config with a secret: exit %d, %q", r.code, r.stderr)
	}
}
