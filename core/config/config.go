// Package config reads zoomdbg's config file and keeps what the debugger remembers between runs.
//
// The config file is the user's: zoomdbg reads it and never writes it. It lives in the user's
// config directory (os.UserConfigDir: $XDG_CONFIG_HOME or ~/.config on Linux, ~/Library/Application
// Support on macOS, %AppData% on Windows), as zoomdbg/config.json. It names secret files, never a
// secret: a "secret" key is refused with the reason. What the debugger remembers (the last screen,
// snippet language and challenge method) goes to state.json beside it, written by zoomdbg.
//
// JSON, read with encoding/json and unknown keys refused, keeps the product free of a YAML or
// TOML dependency and catches a misspelt key instead of ignoring it.
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Dir is the directory zoomdbg's files live in, under the user's config directory.
const Dir = "zoomdbg"

// File names inside Dir.
const (
	ConfigFile = "config.json"
	StateFile  = "state.json"
)

// maxFile bounds what is read of either file: a config is a few hundred bytes.
const maxFile = 1 << 20

// Config is what the user writes in config.json; every field is optional.
type Config struct {
	// ClientID is the app's client ID, checked against a context's aud claim.
	ClientID string `json:"client_id,omitempty"`
	// SecretFiles are files that each hold one client secret, with a label ("dev", "prod").
	SecretFiles []SecretFile `json:"secret_files,omitempty"`
	Check       Check        `json:"check,omitempty"`
	Flow        Flow         `json:"flow,omitempty"`
	// Language is the snippet language offered first: python, node, webcrypto, go, java, php, ruby.
	Language string `json:"language,omitempty"`
	// Theme forces the palette for terminals that do not report their background: "dark" or
	// "light"; empty follows the terminal.
	Theme string `json:"theme,omitempty"`
}

// SecretFile names a file holding a client secret; the secret itself is never in the config.
type SecretFile struct {
	Label string `json:"label"`
	Path  string `json:"path"`
}

// Check holds the Check screen's settings, as zoomdbg check's flags.
type Check struct {
	URL      string `json:"url,omitempty"`
	Endpoint string `json:"endpoint,omitempty"`
	Via      string `json:"via,omitempty"`
}

// Flow holds the Flow screen's server settings.
type Flow struct {
	Mock        string `json:"mock,omitempty"`
	RedirectURI string `json:"redirect_uri,omitempty"`
}

// State is what the debugger remembers between runs.
type State struct {
	Screen   string `json:"screen,omitempty"`
	Language string `json:"language,omitempty"`
	Method   string `json:"method,omitempty"`
}

// Themes a config may force.
const (
	ThemeDark  = "dark"
	ThemeLight = "light"
)

// Path returns the path of the named file (ConfigFile or StateFile) in the user's config directory.
func Path(name string) (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no config directory: %w", err)
	}
	return filepath.Join(dir, Dir, name), nil
}

// Error is a fault in the config file, naming the file and, where the decoder knows it, the byte
// offset.
type Error struct {
	Path   string
	Offset int64 // -1 when unknown
	Err    error
}

func (e *Error) Error() string {
	if e.Offset >= 0 {
		return fmt.Sprintf("%s: at byte %d: %v", e.Path, e.Offset, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Load reads the config file at path. A missing file is an empty config, not an error.
func Load(path string) (Config, error) {
	var c Config
	b, err := readFile(path)
	if err != nil || len(bytes.TrimSpace(b)) == 0 {
		return c, err
	}
	if err := decode(path, b, &c); err != nil {
		return Config{}, err
	}
	return c, c.validate(path)
}

// LoadState reads the remembered state; a missing or unreadable state is an empty one, since it
// is only a convenience.
func LoadState(path string) State {
	var s State
	if b, err := readFile(path); err == nil {
		_ = json.Unmarshal(b, &s)
	}
	return s
}

// SaveState writes the state to path, creating its directory, readable by the user only. It
// writes a temporary file and renames it, so a crash never leaves half a file.
func SaveState(path string, s State) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), StateFile+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxFile {
		return nil, &Error{Path: path, Offset: -1, Err: fmt.Errorf("over %d bytes: not a zoomdbg config", maxFile)}
	}
	return b, nil
}

// secretKeys are keys that would hold a secret: refused, with where the secret goes instead.
var secretKeys = []string{"secret", "client_secret", "secret_token", "token"}

func decode(path string, b []byte, c *Config) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err == nil {
		for _, k := range secretKeys {
			if _, ok := raw[k]; ok {
				return &Error{Path: path, Offset: -1, Err: fmt.Errorf("%q: the config never holds a secret; "+
					"put it in a file readable only by you and name the file in secret_files", k)}
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(c)
	if err == nil && dec.More() {
		err = errors.New("data after the JSON object")
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &syn):
		return &Error{Path: path, Offset: syn.Offset, Err: err}
	case errors.As(err, &typ):
		return &Error{Path: path, Offset: typ.Offset, Err: fmt.Errorf("%s: expected %s", typ.Field, typ.Type)}
	}
	return &Error{Path: path, Offset: dec.InputOffset(), Err: err}
}

func (c Config) validate(path string) error {
	bad := func(format string, a ...any) error {
		return &Error{Path: path, Offset: -1, Err: fmt.Errorf(format, a...)}
	}
	switch c.Theme {
	case "", ThemeDark, ThemeLight:
	default:
		return bad("theme %q: want %q, %q or nothing (follow the terminal)", c.Theme, ThemeDark, ThemeLight)
	}
	seen := map[string]bool{}
	for i, f := range c.SecretFiles {
		switch {
		case strings.TrimSpace(f.Path) == "":
			return bad("secret_files[%d]: no path", i)
		case strings.TrimSpace(f.Label) == "":
			return bad("secret_files[%d]: no label (dev, prod, ...)", i)
		case seen[f.Label]:
			return bad("secret_files[%d]: label %q used twice", i, f.Label)
		}
		seen[f.Label] = true
	}
	return nil
}

// SecretFileSpecs returns the secret files as zoomdbg's --secret-file takes them, LABEL=PATH, with
// a leading ~/ read as the home directory and a relative path read from the config's directory.
func (c Config) SecretFileSpecs(configPath string) []string {
	home, _ := os.UserHomeDir()
	var out []string
	for _, f := range c.SecretFiles {
		p := f.Path
		switch {
		case strings.HasPrefix(p, "~/") && home != "":
			p = filepath.Join(home, p[2:])
		case !filepath.IsAbs(p):
			p = filepath.Join(filepath.Dir(configPath), p)
		}
		out = append(out, f.Label+"="+p)
	}
	return out
}
