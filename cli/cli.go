// Package cli is zoomdbg's command line: every command over core (context, pkce, seal, scan, flow,
// mock-oauth, snippet, explain, check, webhook, version), with text for people and --json for
// scripts, and the root command that opens the interactive debugger through the Debugger main
// wires in. Its flags, exit statuses and JSON keys are a stable contract.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"golang.org/x/text/encoding/unicode"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/oauth"
	"github.com/zoomdbg/zoomdbg/core/webhook"
)

// Exit statuses shared by every command.
const (
	ExitOK      = 0 // the thing checked out
	ExitFailed  = 1 // it did not: a token that does not open, a verifier that breaks the RFC
	ExitUsage   = 2 // the command line was wrong
	ExitTrouble = 3 // an I/O failure unrelated to the input's verdict
)

// Env is the world a command runs in, injected so tests can pin it.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Now            func() time.Time
	Rand           io.Reader
	StdinIsTTY     bool
	StderrIsTTY    bool // progress lines are drawn only on a terminal
	StdoutIsTTY    bool // the interactive debugger opens only on a terminal
	// Derive makes every key of every secret (appctx.DeriveAll when nil): a hook so a test that
	// runs hundreds of commands derives PBKDF2's 100000 rounds once per secret, not per command.
	Derive func([]appctx.Secret) []appctx.Key
}

func (e *Env) derive(s []appctx.Secret) []appctx.Key {
	if e.Derive != nil {
		return e.Derive(s)
	}
	return appctx.DeriveAll(s)
}

// Session is what the interactive debugger opens with, gathered from the command line.
type Session struct {
	Token    string
	Secrets  []appctx.Secret
	ClientID string
	Screen   string // "context", "pkce" or "flow"
	Verifier string
	Demo     bool
	DemoMock string       // with Demo, the base URL of the mock Zoom the demo started
	Warnings []string     // about how the secrets were given, for the TUI to show
	Flow     oauth.Config // the Flow screen's settings, not yet validated
	Check    CheckScreen  // the Check screen's settings

	WebhookSecrets []webhook.Secret // the Webhook screen's Secret Tokens, from $ZOOM_WEBHOOK_SECRET_TOKEN
	// From the config file and the remembered state (core/config).
	Theme     string // "dark", "light" or "" (follow the terminal)
	Language  string // the snippet language offered first
	StatePath string // where the debugger saves what it remembers; "" saves nothing

	ServerPolicy string // the Flow server's PKCE policy in words, when zoomdbg knows it (the demo's mock)
}

// OpenTUI starts the interactive debugger.
type OpenTUI func(Session) error

// Debugger is the interactive debugger as main wires it from the tui package, which keeps this
// package free of UI imports: how to open it, and its keys for the top-level --help.
type Debugger struct {
	Open OpenTUI
	Keys string // the keys, one group per screen, as `zoomdbg --help` lists them
}

// usageError marks an error in the command line itself: exit status 2. With input set, the fault
// is in what was read, not in how zoomdbg was called, so --help would not help.
type usageError struct {
	err   error
	input bool
}

// inputf is a usage error about the input read: exit status 2, without the pointer to --help.
func inputf(format string, args ...any) error {
	return usageError{err: fmt.Errorf(format, args...), input: true}
}

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{err: fmt.Errorf(format, args...)} }

// exitError carries a command's verdict out of cobra: the command has already printed its output.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main runs zoomdbg with args (without the program name) and returns the exit status.
func Main(args []string, env Env, ui Debugger) int {
	root := newRoot(&env, ui)
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := root.Execute()
	var ee exitError
	var ue usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue) && ue.input:
		fmt.Fprintf(env.Stderr, "zoomdbg: %v\n", err)
		return ExitUsage
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "zoomdbg: %v\nRun 'zoomdbg --help' for usage.\n", err)
		return ExitUsage
	}
	fmt.Fprintf(env.Stderr, "zoomdbg: %v\n", err)
	return ExitTrouble
}

// Command is zoomdbg's command tree, for tools that read it (the man page generator in tools/).
func Command(env Env, ui Debugger) *cobra.Command { return newRoot(&env, ui) }

func newRoot(env *Env, ui Debugger) *cobra.Command {
	var (
		src      secretFlags
		ff       flowFlags
		cf       checkFlags
		checkURL string
		demo     bool
		screen   string
		verifier string
	)
	root := &cobra.Command{
		Use:   "zoomdbg [TOKEN | -]",
		Short: "Debug Zoom Apps app-context tokens, OAuth PKCE and webhook signatures",
		Long: `zoomdbg shows why a Zoom Apps app context (x-zoom-app-context) does or does not decrypt,
byte by byte, compares OAuth PKCE challenge methods side by side, and tells why a webhook's
x-zm-signature does or does not verify. It tests your running backend and hands you code for it.

Without a command it opens the interactive debugger, on TOKEN when given ('-' reads standard input).`,
		Args:          maxArgs(1),
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 && looksLikeCommand(args[0]) {
				msg := fmt.Sprintf("unknown command %q: a token is a long base64 string, and zoomdbg's commands are %s",
					args[0], commandList(cmd))
				if sug := cmd.SuggestionsFor(args[0]); len(sug) > 0 {
					msg = fmt.Sprintf("unknown command %q; did you mean %q?", args[0], sug[0])
				}
				return usagef("%s", msg)
			}
			if !env.StdoutIsTTY {
				return inputf("the interactive debugger needs a terminal, and standard output is not one; " +
					"to decode a token from a script, run: zoomdbg context TOKEN [--json]")
			}
			s, err := applyConfig(env, cmd, &src, &ff, &cf, &checkURL, &screen, demo)
			if err != nil {
				return err
			}
			if len(args) == 1 && !cmd.Flags().Changed("screen") {
				screen = "context" // a token given is read on its screen, whatever screen was left last time
			}
			s.Screen, s.Verifier, s.Demo = screen, verifier, demo
			if !slices.Contains(screens, screen) {
				return usagef("--screen %q: want %s", screen, orList(screens))
			}
			if v := env.Getenv(WebhookSecretEnv); v != "" { // the Webhook screen's Secret Token
				s.WebhookSecrets = []webhook.Secret{{Label: WebhookSecretEnv, Value: []byte(v)}}
			}
			tok, err := tokenArg(env, args, false)
			if err != nil {
				return err
			}
			s.Token = tok
			if s.Secrets, err = src.read(env); err != nil {
				return err
			}
			s.ClientID, s.Warnings = src.clientID, src.warnings
			if demo && ff.unset() {
				// The demo's Flow screen runs against a mock Zoom on loopback, so every screen works
				// with no account, no network and no second terminal.
				base, stop, err := startDemoMock()
				if err != nil {
					return err
				}
				defer stop()
				ff.mock, s.DemoMock, s.ServerPolicy = base, base, DemoMockPolicy()
			}
			flowSecrets, flowClientID := s.Secrets, src.clientID
			if s.DemoMock != "" {
				// The demo's mock has its own app: the shell's ZOOM_CLIENT_SECRET (a real app's)
				// would be refused by it, and must never be sent to it.
				flowSecrets, flowClientID = nil, ""
			}
			if s.Flow, err = ff.settings(flowSecrets, flowClientID); err != nil {
				return err
			}
			if s.Check, err = cf.screen(checkURL); err != nil {
				return err
			}
			return ui.Open(s)
		},
	}
	root.Flags().BoolVar(&demo, "demo", false, "open on the embedded demo token and secret")
	root.Flags().StringVar(&screen, "screen", "context", "screen to open: context, pkce, flow, check or webhook")
	root.Flags().StringVar(&checkURL, "check-url", "", "the app's home URL for the Check screen (as zoomdbg check URL)")
	root.Flags().StringVar(&verifier, "verifier", "", "PKCE verifier to open the pkce screen with")
	src.register(root)
	ff.register(root)
	cf.registerShared(root)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err: err} })
	root.Example = rootExamples
	root.SetUsageTemplate(root.UsageTemplate() + debuggerHelp(ui.Keys))
	root.SetVersionTemplate("zoomdbg {{.Version}}\n")
	root.SuggestionsMinimumDistance = 2
	root.AddCommand(newVersionCmd(env), newContextCmd(env), newPKCECmd(env), newSealCmd(env), newScanCmd(env), newFlowCmd(env), newMockOAuthCmd(env),
		newSnippetCmd(env), newExplainCmd(env), newCheckCmd(env))
	root.AddCommand(newWebhookCmd(env)) // issue 24
	for _, c := range root.Commands() {
		c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err: err} })
	}
	addCompletions(root)
	return root
}

// version is stamped by the release build from the git tag (GoReleaser's ldflags:
// -X github.com/zoomdbg/zoomdbg/cli.version={{.Version}}); empty in other builds.
var version string

const rootExamples = `  zoomdbg --demo                                  the debugger on a fresh demo token, no account needed
  zoomdbg "$TOKEN" --secret-file dev=dev.secret   the debugger on your token
  zoomdbg context "$TOKEN" --json                 the verdict for a script (exit 1 when it is not ok)
  zoomdbg scan app.log --fail-on any              every app context in a log, judged
  zoomdbg pkce --verifier "$V" --challenge "$C"   which PKCE method made a challenge
  zoomdbg check https://localhost:3000/           test your running backend with good and bad contexts
  zoomdbg snippet python                          a correct decrypt for your backend, in your language
  zoomdbg webhook delivery.http                   why a webhook's x-zm-signature does or does not verify`

// Environment lists the variables zoomdbg reads, for the top-level --help and the man page.
const Environment = `  ZOOM_CLIENT_SECRET          the app's client secret, when no --secret-file or --secret is given
  ZOOM_WEBHOOK_SECRET_TOKEN   the app's webhook Secret Token, when no --secret-token-file or --secret-token is given
  ZOOM_CLIENT_ID              the app's client ID, when no --client-id is given (checked against aud)
  ZOOMDBG_CONFIG              the config file to read, in place of zoomdbg/config.json in the user's config directory
  NO_COLOR                    set to anything: no colour in the debugger`

// debuggerHelp is the part of the top-level --help after the flags: the debugger's keys and the
// environment.
func debuggerHelp(keys string) string {
	var b strings.Builder
	b.WriteString("{{if not .HasParent}}")
	if keys != "" {
		b.WriteString("\nKeys in the interactive debugger (? shows them on screen):\n" + keys + "\n")
	}
	b.WriteString("\nEnvironment:\n" + Environment + "\n")
	b.WriteString("{{end}}")
	return b.String()
}

// Version is zoomdbg's version: the release tag when the release build stamped one, else the
// module version from the build info (go install …@v1.2.3) with the VCS revision it was built
// from; then the Go release.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		if version != "" {
			return version
		}
		return "(unknown version)"
	}
	if version != "" {
		return version + ", " + bi.GoVersion
	}
	v := bi.Main.Version
	var rev, modified string
	for _, st := range bi.Settings {
		switch st.Key {
		case "vcs.revision":
			rev = st.Value
		case "vcs.modified":
			if st.Value == "true" {
				modified = ", modified"
			}
		}
	}
	if rev != "" {
		v += fmt.Sprintf(" (rev %.12s%s)", rev, modified)
	}
	return v + ", " + bi.GoVersion
}

func newVersionCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print zoomdbg's version",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintf(env.Stdout, "zoomdbg %s\n", Version())
			return err
		},
	}
}

// looksLikeCommand reports whether a root argument is a word, not a token: tokens are at least 47
// base64 characters, so a short word of letters and dashes is a mistyped command.
func looksLikeCommand(s string) bool {
	if len(s) == 0 || len(s) > 32 || s == "-" {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
			return false
		}
	}
	return true
}

// orList joins words as "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

func commandList(root *cobra.Command) string {
	var names []string
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	return strings.Join(names, ", ")
}

// maxArgs is cobra.MaximumNArgs with its complaint marked as a usage error.
func maxArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.MaximumNArgs(n)(cmd, args); err != nil {
			return usageError{err: err}
		}
		return nil
	}
}

// noArgs is cobra.NoArgs with its complaint marked as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if err := cobra.NoArgs(cmd, args); err != nil {
		return usageError{err: err}
	}
	return nil
}

// tokenArg reads the token from the argument, or from standard input when the argument is "-" or,
// if stdinDefault, absent.
func tokenArg(env *Env, args []string, stdinDefault bool) (string, error) {
	switch {
	case len(args) == 1 && args[0] != "-":
		return args[0], nil
	case len(args) == 0 && !stdinDefault:
		return "", nil
	case env.StdinIsTTY && len(args) == 0:
		return "", usagef("no token: pass it as an argument or pipe it to standard input")
	}
	b, err := io.ReadAll(io.LimitReader(env.Stdin, maxInput+1))
	if err != nil {
		return "", fmt.Errorf("read standard input: %w", err)
	}
	if b, err = fromUTF16(b); err != nil {
		return "", inputf("standard input: %v", err)
	}
	if len(b) > maxInput {
		return "", inputf("standard input is over %d bytes: an app context is a few hundred", maxInput)
	}
	if at := binaryAt(b); at >= 0 {
		return "", inputf("standard input is binary (byte %d is 0x%02x): a token is text; for a compressed log use zoomdbg scan, which reads gzip, bzip2 and zstd", at, b[at])
	}
	return string(b), nil
}

// fromUTF16 decodes text that starts with a UTF-16 byte order mark (PowerShell's `>` and
// Out-File write it) to UTF-8, as scan decodes such a log; other input is returned as it is.
func fromUTF16(b []byte) ([]byte, error) {
	if len(b) < 2 || !(b[0] == 0xFF && b[1] == 0xFE || b[0] == 0xFE && b[1] == 0xFF) {
		return b, nil
	}
	d, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
	if err != nil {
		return nil, fmt.Errorf("not readable UTF-16: %w", err)
	}
	return d, nil
}

// binaryAt returns the offset of the first byte that no text holds (NUL, or bytes that are not
// UTF-8), or -1.
func binaryAt(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == 0 || r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// maxInput bounds what is read as one token or payload from standard input.
const maxInput = 1 << 20

// DefaultEnv is the process's real environment.
func DefaultEnv(rand io.Reader) Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
		Now: time.Now, Rand: rand, StdinIsTTY: isTerminal(os.Stdin), StderrIsTTY: isTerminal(os.Stderr),
		StdoutIsTTY: isTerminal(os.Stdout)}
}
