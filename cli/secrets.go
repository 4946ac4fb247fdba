package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zoomdbg/zoomdbg/core/appctx"
)

// SecretEnv is the environment variable read for the client secret when no flag names one.
const SecretEnv = "ZOOM_CLIENT_SECRET"

// maxSecretFile bounds a secret file: a client secret is 32 characters.
const maxSecretFile = 4096

// secretFlags are the flags every command that opens tokens shares.
type secretFlags struct {
	files    []string
	inline   string
	clientID string
	warnings []string       // said on stderr, kept for the TUI
	cmd      *cobra.Command // to tell --secret "" (an unset shell variable) from no --secret
}

func (f *secretFlags) register(cmd *cobra.Command) {
	f.cmd = cmd
	cmd.Flags().StringArrayVar(&f.files, "secret-file", nil,
		"file holding a client secret, as PATH or LABEL=PATH (repeatable: dev=dev.txt --secret-file prod=prod.txt)")
	cmd.Flags().StringVar(&f.inline, "secret", "", "client secret on the command line (lands in shell history; prefer --secret-file)")
	cmd.Flags().StringVar(&f.clientID, "client-id", "", "the app's client ID, checked against the aud claim")
}

// read gathers the candidate secrets: every --secret-file, then --secret, and ZOOM_CLIENT_SECRET
// when neither flag is given. It warns on stderr about a secret on the command line and about
// secret files others can read; it never prints a secret.
func (f *secretFlags) read(env *Env) ([]appctx.Secret, error) {
	if f.clientID == "" {
		f.clientID = env.Getenv(ClientIDEnv) // as the snippets read it
	}
	if f.inline == "" && f.cmd != nil && f.cmd.Flags().Changed("secret") {
		return nil, usagef("--secret is empty (an unset shell variable?): give the secret in a file with --secret-file PATH, or in $%s", SecretEnv)
	}
	var ss []appctx.Secret
	for _, spec := range f.files {
		s, err := readSecretFile(env, spec, f.warn)
		if err != nil {
			return nil, err
		}
		ss = append(ss, s)
	}
	if f.inline != "" {
		f.warn(env, "--secret puts the client secret in your shell history and the process list; prefer --secret-file or "+SecretEnv)
		ss = append(ss, appctx.Secret{Label: "--secret", Value: []byte(f.inline)})
	}
	if len(ss) == 0 {
		if v := env.Getenv(SecretEnv); v != "" {
			ss = append(ss, appctx.Secret{Label: SecretEnv, Value: []byte(v)})
		}
	}
	return ss, checkLabels(ss)
}

// warn prints a warning about how a secret was given and keeps it for the TUI, which shows it
// where the user looks: stderr is hidden behind the alternate screen.
func (f *secretFlags) warn(env *Env, msg string) {
	fmt.Fprintln(env.Stderr, "zoomdbg: warning: "+msg)
	f.warnings = append(f.warnings, msg)
}

func readSecretFile(env *Env, spec string, warn func(*Env, string)) (appctx.Secret, error) {
	return readSecretFileFlag(env, "--secret-file", "a client secret", spec, warn)
}

// readSecretFileFlag reads the secret file spec given to flag, where what names the secret it
// should hold, for the error that says a file is too big to be one.
func readSecretFileFlag(env *Env, flag, what, spec string, warn func(*Env, string)) (appctx.Secret, error) {
	label, path, ok := strings.Cut(spec, "=")
	if !ok {
		path, label = spec, filepath.Base(spec)
	}
	if path == "" || label == "" {
		return appctx.Secret{}, usagef("%s %q: want PATH or LABEL=PATH", flag, spec)
	}
	fh, err := os.Open(path)
	if err != nil {
		return appctx.Secret{}, usagef("%s: %v", flag, err)
	}
	defer fh.Close()
	if fi, err := fh.Stat(); err == nil && fi.Mode().Perm()&0o077 != 0 {
		warn(env, fmt.Sprintf("secret file %s is readable by group or others (mode %04o); chmod 600 it", path, fi.Mode().Perm()))
	}
	b, err := io.ReadAll(io.LimitReader(fh, maxSecretFile+1))
	if err != nil {
		return appctx.Secret{}, fmt.Errorf("%s %s: %w", flag, path, err)
	}
	if len(b) > maxSecretFile {
		return appctx.Secret{}, usagef("%s %s: over %d bytes, not %s", flag, path, maxSecretFile, what)
	}
	b = trimNewline(b)
	if len(b) == 0 {
		return appctx.Secret{}, usagef("%s %s: the file is empty", flag, path)
	}
	return appctx.Secret{Label: label, Value: b}, nil
}

// trimNewline removes one trailing line ending, which editors and `echo` add to a file; any other
// whitespace is kept, so the diagnosis can point it out.
func trimNewline(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

func checkLabels(ss []appctx.Secret) error {
	seen := map[string]bool{}
	for _, s := range ss {
		if seen[s.Label] {
			return usagef("two secrets are labelled %q: give them distinct labels with LABEL=PATH", s.Label)
		}
		seen[s.Label] = true
	}
	return nil
}
