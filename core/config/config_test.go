package config

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func write(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), ConfigFile)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestConfigRoundTrip: every field written as JSON reads back the same.
func TestConfigRoundTrip(t *testing.T) {
	want := Config{
		ClientID:    "aBcDeFgHiJkLmNoPqRsTuV",
		SecretFiles: []SecretFile{{Label: "dev", Path: "~/.zoom/dev.secret"}, {Label: "prod", Path: "/etc/zoom/prod"}},
		Check:       Check{URL: "https://localhost:3000/home?x=1", Endpoint: "https://localhost:3000/api", Via: "query:ctx"},
		Flow:        Flow{Mock: "http://127.0.0.1:9000", RedirectURI: "http://127.0.0.1:8765/callback"},
		Language:    "ruby",
		Theme:       ThemeLight,
	}
	b, err := json.MarshalIndent(want, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Load(write(t, string(b)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip:\ngot  %+v\nwant %+v", got, want)
	}
}

// TestStateRoundTrip: the state zoomdbg saves reads back the same, in a directory it creates,
// readable by the user only.
func TestStateRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "new", Dir, StateFile)
	want := State{Screen: "flow", Language: "go", Method: "zoom-legacy"}
	if err := SaveState(p, want); err != nil {
		t.Fatal(err)
	}
	if got := LoadState(p); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file mode: %v %v", fi.Mode(), err)
	}
	if err := SaveState(p, State{Screen: "pkce"}); err != nil {
		t.Fatal(err)
	}
	if got := LoadState(p); got != (State{Screen: "pkce"}) {
		t.Fatalf("overwritten state: %+v", got)
	}
	if got := LoadState(filepath.Join(t.TempDir(), "absent.json")); got != (State{}) {
		t.Fatalf("absent state: %+v", got)
	}
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name, body string
		want       Config
		wantErr    string
	}{
		{name: "empty file", body: "", want: Config{}},
		{name: "empty object", body: "{}", want: Config{}},
		{name: "client id", body: `{"client_id":"abc"}`, want: Config{ClientID: "abc"}},
		{name: "misspelt key", body: `{"clientid":"abc"}`, wantErr: `unknown field "clientid"`},
		{name: "a secret", body: `{"secret":"s3cr3t"}`, wantErr: `"secret": the config never holds a secret`},
		{name: "a client_secret", body: `{"client_secret":"s3cr3t"}`, wantErr: `never holds a secret`},
		{name: "syntax", body: `{"client_id": }`, wantErr: "at byte 15: invalid character '}'"},
		{name: "wrong type", body: `{"client_id": 5}`, wantErr: "client_id: expected string"},
		{name: "two objects", body: `{} {}`, wantErr: "data after the JSON object"},
		{name: "bad theme", body: `{"theme":"solarized"}`, wantErr: `theme "solarized": want "dark", "light"`},
		{name: "secret file without a label", body: `{"secret_files":[{"path":"x"}]}`, wantErr: "secret_files[0]: no label"},
		{name: "label twice", body: `{"secret_files":[{"label":"a","path":"x"},{"label":"a","path":"y"}]}`, wantErr: `label "a" used twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := write(t, tt.body)
			got, err := Load(p)
			if tt.wantErr != "" {
				var ce *Error
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.As(err, &ce) || ce.Path != p {
					t.Fatalf("err %v, want one naming %s and holding %q", err, p, tt.wantErr)
				}
				if strings.Contains(err.Error(), "s3cr3t") {
					t.Fatalf("the error repeats the secret: %v", err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
	if c, err := Load(filepath.Join(t.TempDir(), "absent.json")); err != nil || !reflect.DeepEqual(c, Config{}) {
		t.Fatalf("a missing config: %+v, %v", c, err)
	}
}

func TestSecretFileSpecs(t *testing.T) {
	home, _ := os.UserHomeDir()
	c := Config{SecretFiles: []SecretFile{{"dev", "~/dev.secret"}, {"prod", "/abs/prod"}, {"rel", "rel.secret"}}}
	got := c.SecretFileSpecs("/cfg/zoomdbg/config.json")
	want := []string{"dev=" + filepath.Join(home, "dev.secret"), "prod=/abs/prod", "rel=" + filepath.Join("/cfg/zoomdbg", "rel.secret")}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestPathUsesXDG(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("os.UserConfigDir reads XDG_CONFIG_HOME on Linux; macOS and Windows have their own")
	}
	t.Setenv("XDG_CONFIG_HOME", "/tmp/xdg-test")
	if p, err := Path(ConfigFile); err != nil || p != "/tmp/xdg-test/zoomdbg/config.json" {
		t.Fatalf("Path = %q, %v", p, err)
	}
}
