package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/zoomdbg/zoomdbg/core/check"
	"github.com/zoomdbg/zoomdbg/core/termsafe"
)

// checkFlags are the settings of a backend check, shared by the command and the Check screen.
type checkFlags struct {
	endpoint, via, refusedBody string
	cacert                     string
	insecure                   bool
	timeout                    time.Duration
}

func (f *checkFlags) register(cmd *cobra.Command) {
	f.registerShared(cmd)
	cmd.Flags().DurationVar(&f.timeout, "timeout", check.DefaultTimeout, "timeout of each request")
}

// registerShared registers the flags the Check screen takes too (the root's --timeout is the flow's).
func (f *checkFlags) registerShared(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.endpoint, "endpoint", "", "check: URL where the backend reads the context (default: the home URL)")
	cmd.Flags().StringVar(&f.via, "via", "header", "check: where the context goes: header, query:NAME or json:FIELD (a POST body, as a frontend sends getAppContext())")
	cmd.Flags().StringVar(&f.refusedBody, "refused-body", "", "check: a regular expression; an answer whose body matches it counts as refused (overrides what check learns from the backend's own refusals)")
	cmd.Flags().StringVar(&f.cacert, "cacert", "", "check: a PEM file of the certificate authority that signed a local HTTPS backend's certificate (mkcert's rootCA.pem, a self-signed cert), trusted besides the system's")
	cmd.Flags().BoolVar(&f.insecure, "insecure", false, "check: do not verify the backend's TLS certificate (a local backend only: anyone on the path could answer)")
}

// tls builds the HTTP client for --cacert and --insecure, and what curl needs to do the same.
func (f *checkFlags) tls() (*http.Client, string, error) {
	if f.cacert == "" && !f.insecure {
		return nil, "", nil
	}
	if f.cacert != "" && f.insecure {
		return nil, "", usagef("--cacert and --insecure: give one; --insecure verifies nothing")
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	if f.insecure {
		t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
		return &http.Client{Transport: t}, "-k", nil
	}
	pem, err := os.ReadFile(f.cacert)
	if err != nil {
		return nil, "", usagef("--cacert: %v", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, "", usagef("--cacert %s: no PEM certificate in it (want -----BEGIN CERTIFICATE-----)", f.cacert)
	}
	t.TLSClientConfig = &tls.Config{RootCAs: pool}
	return &http.Client{Transport: t}, "--cacert " + shellQuote(f.cacert), nil
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// CheckScreen is what the Check screen opens with.
type CheckScreen struct {
	URL, Endpoint, Via, RefusedBody string
	Client                          *http.Client // --cacert or --insecure; nil for the defaults
	CurlTLS                         string       // the same for curl
}

// screen validates the flags for the Check screen.
func (f *checkFlags) screen(home string) (CheckScreen, error) {
	f.timeout = check.DefaultTimeout
	o, err := f.options("http://placeholder/", []byte("x"), "")
	if err != nil {
		return CheckScreen{}, err
	}
	return CheckScreen{URL: home, Endpoint: f.endpoint, Via: f.via, RefusedBody: f.refusedBody, Client: o.Client, CurlTLS: o.CurlTLS}, nil
}

// options turns the flags into check options; secret and client ID come from the secret flags.
func (f *checkFlags) options(home string, secret []byte, clientID string) (check.Options, error) {
	o := check.Options{URL: home, Endpoint: f.endpoint, Secret: secret, ClientID: clientID, Timeout: f.timeout}
	var err error
	if o.Via, err = check.ParseVia(f.via); err != nil {
		return o, usageError{err: err}
	}
	if f.refusedBody != "" {
		if o.RefusedBody, err = regexp.Compile(f.refusedBody); err != nil {
			return o, usagef("--refused-body: %v", err)
		}
	}
	if f.timeout <= 0 {
		return o, usagef("--timeout must be positive")
	}
	o.Client, o.CurlTLS, err = f.tls()
	return o, err
}

func newCheckCmd(env *Env) *cobra.Command {
	var (
		src    secretFlags
		cf     checkFlags
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "check URL [--endpoint URL] [--via header|query:NAME|json:FIELD] [--client-id ID] [--secret-file PATH] [--cacert FILE | --insecure]",
		Short: "Test your running Zoom App backend the way the Zoom client and an attacker would",
		Long:  checkLong(),
		Example: `  zoomdbg check https://localhost:3000/ --secret-file dev.secret --client-id "$ZOOM_CLIENT_ID"
  zoomdbg check https://app.example.com/ --endpoint https://app.example.com/api/me --via json:appContext`,
		Args: cobra.MatchAll(maxArgs(1), func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("check needs the app's home URL")
			}
			return nil
		}),
		RunE: func(cmd *cobra.Command, args []string) error {
			secrets, err := src.read(env)
			if err != nil {
				return err
			}
			if len(secrets) != 1 {
				return usagef("check needs exactly one secret, the app's development secret (got %d): --secret-file PATH or $%s", len(secrets), SecretEnv)
			}
			o, err := cf.options(args[0], secrets[0].Value, src.clientID)
			if err != nil {
				return err
			}
			o.Now, o.Rand = env.Now, env.Rand
			if env.StderrIsTTY && !asJSON {
				o.Progress = progressLine(env.Stderr)
			}
			r, err := check.Run(context.Background(), o)
			if env.StderrIsTTY && !asJSON {
				fmt.Fprint(env.Stderr, "\r\033[K")
			}
			var ue *check.UsageError
			switch {
			case errors.As(err, &ue):
				return usageError{err: err}
			case err != nil:
				return err // unreachable: exit 3, with the reason in words
			}
			return emit(env, asJSON, func() any { return newCheckJSON(r) },
				func(w io.Writer) error { return writeCheckText(w, r) }, r.OK)
		},
	}
	src.register(cmd)
	cmd.Flags().Lookup("client-id").Usage = "the app's client ID: the valid context carries it as aud, and a context for another aud must be refused"
	cf.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

// checkLong is check's help, with the numbers of requests taken from the battery itself.
func checkLong() string {
	n, probes := check.Requests(false)
	return fmt.Sprintf(`Fetch the home URL as the Zoom client does (its user agent, a freshly sealed context in the
x-zoom-app-context header, redirects followed with cookies) and check the OWASP headers Zoom
requires on it. Then send the backend, at URL or --endpoint, a battery of contexts sealed with your
app's (development) secret: a valid one, none, another app's secret, padded, expired, a flipped
ciphertext or tag byte, the tag cut to 12, 8 and 4 bytes, bytes after the tag, a wrong aud (with
--client-id) and a wrong iss, each with what a correct backend must do.

What refused looks like is learned from the backend: the answers to no context and to another
app's context, compared with the valid one's (the status, or the body when the status is the same,
as with a 200 error page). --refused-body REGEX overrides it; check suggests it when the answers
cannot be told apart. A row whose answer proves nothing (the valid context was refused, the backend
stopped answering) says "not tested" and why.

Also found: a 5xx to a bad context (a crash on input anyone can send), a backend that stops
answering (the report so far names the case), the client secret in an answer (redacted from the
report, and critical). When the valid context is refused, its answer is read first (405, 404, 415,
a login redirect, a redirect loop); otherwise contexts made the ways developers get wrong (HKDF,
PBKDF2, the secret padded or cut to 32 bytes, a hex hash, a trailing newline, plain base64, the tag
left off) find the bug. Fixes are given in the backend's language when its answers tell it.

One request at a time, a timeout on each, only to the URLs given: %d requests (%d with
--client-id), and up to %d more when the valid context is refused. The secret is never sent and
never printed, whatever the backend answers.

Exit status: 0 when everything passes; 1 when something is found (the backend refuses a valid
context, accepts one it must refuse, crashes, stops answering, leaks its secret, or the home URL
lacks a required header); 2 on a usage error; 3 when the server cannot be reached at all.`, n, n+1, probes)
}

// progressLine draws "[n] case" on one terminal line as the check goes.
func progressLine(w io.Writer) func(check.Event) {
	return func(e check.Event) {
		what := "home URL"
		if e.Case != nil {
			what = e.Case.Name
		}
		fmt.Fprintf(w, "\r\033[Kchecking: %d requests, last: %s", e.Done, what)
	}
}

type checkJSON struct {
	*check.Report
	Findings []findingJSON `json:"findings"`
}

type findingJSON struct {
	Severity string `json:"severity"`
	What     string `json:"what"`
	Detail   string `json:"detail"`
	Fix      string `json:"fix,omitempty"`
	Case     string `json:"case,omitempty"` // the case to reproduce it with
	Curl     string `json:"curl,omitempty"`
}

func newCheckJSON(r *check.Report) checkJSON {
	out := checkJSON{Report: r, Findings: []findingJSON{}}
	for _, f := range r.Findings() {
		fj := findingJSON{Severity: f.Severity.String(), What: f.What, Detail: f.Detail, Fix: f.Fix}
		if f.Case != nil {
			fj.Case, fj.Curl = f.Case.Name, f.Case.Curl
		}
		out.Findings = append(out.Findings, fj)
	}
	return out
}

func mark(ok bool) string {
	if ok {
		return "✓"
	}
	return "✗"
}

func writeCheckText(w io.Writer, r *check.Report) error {
	var b bytes.Buffer
	e := termsafe.Escape
	fs := r.Findings()
	verdict := "PASS: the backend accepts exactly what it must, and the home URL has Zoom's required headers"
	if !r.OK {
		verdict = "FAIL: " + check.Count(fs)
	}
	fmt.Fprintf(&b, "verdict   %s (%d requests)\n", verdict, r.Requests)

	h := r.Home
	fmt.Fprintf(&b, "\nhome URL  %s  HTTP %d  %s\n", e(h.URL), h.Status, e(h.ContentType))
	for _, rd := range h.Redirects {
		fmt.Fprintf(&b, "  redirect  → %s\n", e(rd))
	}
	for _, hd := range h.Headers {
		detail := e(clip(hd.Value, 60))
		if hd.Problem != "" {
			detail = e(hd.Problem)
			if hd.Present {
				detail = fmt.Sprintf("%s: %s", e(clip(hd.Value, 40)), e(hd.Problem))
			}
		}
		fmt.Fprintf(&b, "  %s %-26s %s\n", mark(hd.Problem == ""), hd.Name, detail)
	}
	if h.Console != "" {
		fmt.Fprintf(&b, "  the Zoom client would log, and show nothing:\n    %s\n", e(h.Console))
	}
	for _, n := range h.Notes {
		fmt.Fprintf(&b, "  note  %s\n", e(n))
	}

	fmt.Fprintf(&b, "\ncontext   sent to %s in %s\n", e(r.Endpoint), r.Via)
	for _, l := range wrapAt(e(r.Judged), 100) {
		fmt.Fprintf(&b, "          %s\n", l)
	}
	for _, c := range r.Cases {
		writeCaseRow(&b, c)
	}
	if s := r.Stopped; s != nil {
		fmt.Fprintf(&b, "  stopped   %s\n", e(s.Describe()))
	}
	if d := r.Diagnosis; d != nil {
		switch {
		case len(d.Tried) == 0:
			b.WriteString("\ndiagnosis the answers say why the valid context was refused, without guessing at the secret:\n")
		case r.Cases[0].Tested:
			b.WriteString("\ndiagnosis the valid context was refused; contexts made the usual wrong ways:\n")
		default:
			b.WriteString("\ndiagnosis contexts made the usual wrong ways, to see whether any gets another answer:\n")
		}
		for _, c := range d.Tried {
			status := fmt.Sprintf("HTTP %d", c.Status)
			if c.Status == 0 {
				status = "no answer"
			}
			fmt.Fprintf(&b, "  %-8s %-32s %s\n", check.Outcome(c, r.JudgedBy), c.Name, status)
		}
		fmt.Fprintf(&b, "  → %s\n  fix: %s\n", e(d.Bug), e(d.Fix))
	}
	if l := r.Language; l != nil {
		fmt.Fprintf(&b, "\nbackend   written in %s, by %s\n", l.Name, e(l.Evidence))
	}
	if len(fs) > 0 {
		b.WriteString("\nfindings, most serious first\n")
		for i, f := range fs {
			fmt.Fprintf(&b, "  %d. %-8s %s: %s\n", i+1, f.Severity, e(f.What), e(f.Detail))
			if f.Fix != "" {
				fmt.Fprintf(&b, "     fix: %s\n", e(f.Fix))
			}
		}
		b.WriteString("\nreproduce a row: save its context (cases[].token in --json; each expires 2 minutes after it was sealed) in ctx.txt, then\n")
		fmt.Fprintf(&b, "  %s\n", e(r.Reproduce))
	}
	_, err := w.Write(b.Bytes())
	return err
}

func writeCaseRow(b *bytes.Buffer, c check.Case) {
	if !c.Tested {
		status := "no answer"
		if c.Status != 0 {
			status = fmt.Sprintf("HTTP %3d", c.Status)
		}
		fmt.Fprintf(b, "  – must %-6s %-26s %s  not tested: %s\n", c.Expect, c.Name, status, termsafe.Escape(c.NotTested))
		return
	}
	got := "refused"
	if c.Accepted {
		got = "accepted"
	}
	sev := ""
	if !c.Pass {
		sev = "  " + strings.ToUpper(c.Severity.String())
	}
	if c.Error != "" {
		got += " (" + termsafe.Escape(c.Error) + ")"
	}
	fmt.Fprintf(b, "  %s must %-6s %-26s HTTP %3d %s%s\n", mark(c.Pass), c.Expect, c.Name, c.Status, got, sev)
}

// wrapAt breaks prose at spaces into lines of at most n bytes (a word longer than n stays whole).
func wrapAt(s string, n int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > n {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}
