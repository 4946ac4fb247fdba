package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/zoomdbg/zoomdbg/core/termsafe"
	"github.com/zoomdbg/zoomdbg/core/webhook"
)

// WebhookSecretEnv is the environment variable read for the webhook Secret Token when no flag
// names one; Zoom's webhook sample reads the same name.
const WebhookSecretEnv = "ZOOM_WEBHOOK_SECRET_TOKEN"

// tokenFlags are the Secret Token flags of the webhook commands: the same shape as the client
// secret's (repeatable, labelled files; an inline value with a warning; an environment variable).
type tokenFlags struct {
	files  []string
	inline string
	cmd    *cobra.Command // to tell --secret-token "" (an unset shell variable) from no --secret-token
}

func (f *tokenFlags) register(cmd *cobra.Command) {
	f.cmd = cmd
	cmd.Flags().StringArrayVar(&f.files, "secret-token-file", nil,
		"file holding the app's webhook Secret Token, as PATH or LABEL=PATH (repeatable: --secret-token-file dev=dev.token --secret-token-file prod=prod.token)")
	cmd.Flags().StringVar(&f.inline, "secret-token", "", "the Secret Token on the command line (lands in shell history; prefer --secret-token-file or $"+WebhookSecretEnv+")")
}

// read gathers the Secret Tokens: every --secret-token-file, then --secret-token, and
// $ZOOM_WEBHOOK_SECRET_TOKEN when neither flag is given. It never prints a secret.
func (f *tokenFlags) read(env *Env) ([]webhook.Secret, error) {
	if f.inline == "" && f.cmd != nil && f.cmd.Flags().Changed("secret-token") {
		return nil, usagef("--secret-token is empty (an unset shell variable?): give the token in a file with --secret-token-file PATH, or in $%s", WebhookSecretEnv)
	}
	var ss []webhook.Secret
	warn := func(env *Env, msg string) { fmt.Fprintln(env.Stderr, "zoomdbg: warning: "+msg) }
	for _, spec := range f.files {
		s, err := readSecretFileFlag(env, "--secret-token-file", "a Secret Token", spec, warn)
		if err != nil {
			return nil, err
		}
		ss = append(ss, webhook.Secret{Label: s.Label, Value: s.Value})
	}
	if f.inline != "" {
		warn(env, "--secret-token puts the Secret Token in your shell history and the process list; prefer --secret-token-file or "+WebhookSecretEnv)
		ss = append(ss, webhook.Secret{Label: "--secret-token", Value: []byte(f.inline)})
	}
	if len(ss) == 0 {
		if v := env.Getenv(WebhookSecretEnv); v != "" {
			ss = append(ss, webhook.Secret{Label: WebhookSecretEnv, Value: []byte(v)})
		}
	}
	seen := map[string]bool{}
	for _, s := range ss {
		if seen[s.Label] {
			return nil, usagef("two Secret Tokens are labelled %q: give them distinct labels with LABEL=PATH", s.Label)
		}
		seen[s.Label] = true
	}
	return ss, nil
}

// one returns the single Secret Token a command that signs needs.
func (f *tokenFlags) one(env *Env, cmdName string) (webhook.Secret, error) {
	ss, err := f.read(env)
	if err != nil {
		return webhook.Secret{}, err
	}
	if len(ss) != 1 {
		return webhook.Secret{}, usagef("%s needs exactly one Secret Token (got %d): --secret-token-file PATH or $%s", cmdName, len(ss), WebhookSecretEnv)
	}
	return ss[0], nil
}

func newWebhookCmd(env *Env) *cobra.Command {
	var (
		tf                         tokenFlags
		asJSON                     bool
		timestamp, signature, body string
		at                         string
	)
	cmd := &cobra.Command{
		Use:   "webhook [FILE | -]",
		Short: "Verify a captured Zoom webhook delivery, sign test deliveries, and check your endpoint",
		Long: `Verify one Zoom webhook delivery read from FILE or standard input ('-', or no argument), in
whatever shape you captured it: a raw HTTP request (nc -l, a proxy, a framework's dump; CRLF or LF,
chunked), curl -v output (with the curl command above it, or --body), a "Copy as cURL" command, a
HAR file or entry, a JSON log line holding the headers and the body, or the body alone with
--timestamp and --signature.

It prints the message Zoom signs ("v0:" + x-zm-request-timestamp + ":" + raw body) with offsets,
the signature each Secret Token gives, the one received, and the verdict: verified with which
token, or the cause, found by trying the usual mistakes (a re-serialised body, event_ts as the
timestamp, the v0 prefixes, hex case, base64, a newline on the token, an empty token, another
labelled token) and naming the one that reproduces the received signature. Give --signature the
signature YOUR verifier computed to find its bug. For an endpoint.url_validation event it prints
the exact answer to send.

Secret Tokens: --secret-token-file (repeatable, LABEL=PATH), --secret-token, or $ZOOM_WEBHOOK_SECRET_TOKEN.
The Secret Token is on your app's Features page (Access); it is not the client secret.

Exit status: 0 when a given Secret Token verifies the delivery; 1 when none does or the signature
headers are missing; 2 on a usage error (no Secret Token given) or a capture that cannot be read.`,
		Example: `  zoomdbg webhook request.txt --secret-token-file dev=dev.token --secret-token-file prod=prod.token
  pbpaste | zoomdbg webhook - --json
  zoomdbg webhook body.json --timestamp 1764500001 --signature v0=5c1f...
  zoomdbg webhook sign --event meeting.started --url http://localhost:4000/webhook
  zoomdbg webhook check https://example.ngrok.app/webhook`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			secrets, err := tf.read(env)
			if err != nil {
				return err
			}
			if len(secrets) == 0 { // nothing can verify: a missing input, as every command treats one
				return usagef("webhook needs the Secret Token to verify with: --secret-token-file PATH or $%s (your app's Features page; not the client secret)", WebhookSecretEnv)
			}
			now, err := atTime(env, at)
			if err != nil {
				return err
			}
			in, err := readCapture(env, args)
			if err != nil {
				return err
			}
			d, err := webhook.Parse(in)
			if err != nil {
				return inputf("%s", termsafe.Escape(err.Error()))
			}
			if err := overrideDelivery(d, timestamp, signature, body); err != nil {
				return err
			}
			r := webhook.Diagnose(d, secrets, now)
			return emit(env, asJSON, func() any { return newWebhookJSON(r) },
				func(w io.Writer) error { return writeWebhookText(w, r) }, r.OK)
		},
	}
	tf.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.Flags().StringVar(&timestamp, "timestamp", "", "the x-zm-request-timestamp value, for a capture without it (the body alone)")
	cmd.Flags().StringVar(&signature, "signature", "", "the signature to diagnose: the x-zm-signature value, or the one your verifier computed")
	cmd.Flags().StringVar(&body, "body", "", "file holding the raw body, for a capture without one (curl -v prints none)")
	cmd.Flags().StringVar(&at, "at", "", "judge the timestamp's age at this time (RFC 3339 or epoch seconds) instead of now")
	cmd.AddCommand(newWebhookSignCmd(env), newWebhookCheckCmd(env))
	for _, c := range cmd.Commands() {
		c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err: err} })
	}
	return cmd
}

// readCapture reads FILE, or standard input for '-' or no argument.
func readCapture(env *Env, args []string) ([]byte, error) {
	var r io.Reader = env.Stdin
	name := "standard input"
	if len(args) == 1 && args[0] != "-" {
		f, err := os.Open(args[0])
		if err != nil {
			return nil, usagef("%v", err)
		}
		defer f.Close()
		r, name = f, args[0]
	} else if len(args) == 0 && env.StdinIsTTY {
		return nil, usagef("no capture: give a FILE, or pipe the delivery to standard input")
	}
	b, err := io.ReadAll(io.LimitReader(r, maxCaptureInput+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(b) > maxCaptureInput {
		return nil, inputf("%s is over %d bytes: a Zoom delivery is a few kilobytes", name, maxCaptureInput)
	}
	return b, nil
}

// maxShownMessage bounds the signed message printed whole; --json always holds it.
const maxShownMessage = 4 << 10

// maxCaptureInput bounds a capture read: a HAR file of a page can hold a few megabytes.
const maxCaptureInput = 8 << 20

func overrideDelivery(d *webhook.Delivery, ts, sig, bodyFile string) error {
	if ts != "" {
		d.Set(webhook.HeaderTimestamp, ts)
	}
	if sig != "" {
		d.Set(webhook.HeaderSignature, sig)
	}
	if bodyFile != "" {
		b, err := os.ReadFile(bodyFile)
		if err != nil {
			return usagef("--body: %v", err)
		}
		d.Body, d.HasBody = b, true
	}
	return nil
}

// atTime is --at, or now.
func atTime(env *Env, at string) (time.Time, error) {
	if at == "" {
		return env.Now(), nil
	}
	if n, err := strconv.ParseInt(at, 10, 64); err == nil {
		return time.Unix(n, 0), nil
	}
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return time.Time{}, usagef("--at %q: want RFC 3339 (2026-11-30T12:00:00Z) or epoch seconds", at)
	}
	return t, nil
}

// webhookJSON is the JSON contract of `zoomdbg webhook --json`.
type webhookJSON struct {
	OK         bool                        `json:"ok"`
	Label      *string                     `json:"label"`
	Cause      string                      `json:"cause"`
	Fix        string                      `json:"fix"`
	Format     webhook.Format              `json:"format"`
	Method     string                      `json:"method"`
	Target     string                      `json:"target"`
	Event      string                      `json:"event"`
	Timestamp  *string                     `json:"timestamp"`
	Received   *string                     `json:"received"`
	AgeSeconds *int64                      `json:"age_seconds"`
	AgeNote    string                      `json:"age_note"`
	Message    messageJSON                 `json:"message"`
	Expected   []webhook.Expected          `json:"expected"`
	Variants   []webhook.Variant           `json:"variants"`
	Problems   []string                    `json:"problems"`
	Notes      []string                    `json:"notes"`
	Handshake  *webhook.ValidationResponse `json:"handshake"`
}

type messageJSON struct {
	Length int            `json:"length"`
	Text   string         `json:"text"`
	Parts  []webhook.Part `json:"parts"`
}

func newWebhookJSON(r *webhook.Report) webhookJSON {
	d := r.Delivery
	out := webhookJSON{OK: r.OK, Cause: r.Cause, Fix: r.Fix, Format: d.Format, Method: d.Method, Target: d.Target, Event: r.Event,
		AgeNote: r.AgeNote, Expected: r.Expected, Variants: r.Variants, Problems: r.Problems, Notes: nonNil(d.Notes), Handshake: r.Handshake,
		Message: messageJSON{Length: len(r.Message), Text: string(r.Message), Parts: r.Parts}}
	if r.OK {
		out.Label = &r.Label
	}
	if ts, ok := d.Get(webhook.HeaderTimestamp); ok {
		out.Timestamp = &ts
	}
	if sig, ok := d.Get(webhook.HeaderSignature); ok {
		out.Received = &sig
	}
	if r.Age != nil {
		s := int64(r.Age.Seconds())
		out.AgeSeconds = &s
	}
	return out
}

func writeWebhookText(w io.Writer, r *webhook.Report) error {
	var b bytes.Buffer
	e := termsafe.Escape
	d := r.Delivery
	if r.OK {
		fmt.Fprintf(&b, "verdict   verified with %s", e(r.Label))
		if first := r.Expected[0]; first.Label != r.Label {
			fmt.Fprintf(&b, " (not with %s: the delivery is for %s's app or environment)", e(first.Label), e(r.Label))
		}
		b.WriteString("\n")
	} else {
		fmt.Fprintf(&b, "verdict   NOT VERIFIED: %s\n", e(r.Cause))
	}
	what := fmt.Sprintf("%s, %s %s", d.Format, e(d.Method), e(clip(d.Target, 50)))
	if d.HasBody {
		what += fmt.Sprintf(", %d-byte body", len(d.Body))
		if d.BodyAt >= 0 {
			what += fmt.Sprintf(" at byte %d of the capture", d.BodyAt)
		}
	}
	fmt.Fprintf(&b, "capture   %s\n", what)
	if r.Event != "" {
		fmt.Fprintf(&b, "event     %s\n", e(r.Event))
	}
	for _, n := range d.Notes {
		fmt.Fprintf(&b, "note      %s\n", e(n))
	}
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "problem   %s\n", e(p))
	}
	if r.AgeNote != "" {
		fmt.Fprintf(&b, "age       %s\n", e(r.AgeNote))
	}

	fmt.Fprintf(&b, "\nsigned message: \"v0:\" + timestamp + \":\" + raw body, %d bytes\n", len(r.Message))
	fmt.Fprintf(&b, "  %6s  %6s  %-9s  %s\n", "offset", "length", "part", "bytes (escaped)")
	for _, p := range r.Parts {
		fmt.Fprintf(&b, "  %6d  %6d  %-9s  %s\n", p.Start, p.End-p.Start, p.Name, e(clip(string(r.Message[p.Start:p.End]), 60)))
	}
	if len(r.Message) <= maxShownMessage {
		fmt.Fprintf(&b, "  whole message, escaped:\n    %s\n", e(string(r.Message)))
	}

	b.WriteString("\nsignatures (HMAC-SHA256 keyed with the Secret Token; the tokens are never shown)\n")
	recv := "(no " + webhook.HeaderSignature + " header)"
	if sig, ok := d.Get(webhook.HeaderSignature); ok {
		recv = e(sig)
	}
	width := len("received")
	for _, x := range r.Expected {
		width = max(width, len(x.Label)+2)
	}
	fmt.Fprintf(&b, "  %-*s  %s\n", width, "received", recv)
	for _, x := range r.Expected {
		v := "✗ differs"
		if x.Verifies {
			v = "✓ verifies"
		}
		fmt.Fprintf(&b, "  %-*s  %s  %s\n", width, "= "+e(x.Label), x.Signature, v)
	}
	if !r.OK && r.Fix != "" {
		fmt.Fprintf(&b, "\ncause     %s\nfix       %s\n", e(r.Cause), e(r.Fix))
	}
	matched := 0
	for _, v := range r.Variants {
		if v.Matches {
			if matched == 0 {
				b.WriteString("\nreproduced by\n")
			}
			matched++
			fmt.Fprintf(&b, "  %s  secret %s: %s\n", v.Signature, e(v.Secret), e(v.Name))
		}
	}
	if n := len(r.Variants); n > 0 {
		fmt.Fprintf(&b, "\n%d combinations of mistakes tried; %d listed with their signatures by --json (%d reproduce the received one)\n", r.Tried, n, matched)
	}
	if h := r.Handshake; h != nil {
		ans, _ := json.Marshal(h)
		fmt.Fprintf(&b, "\nhandshake answer (HTTP 200, Content-Type: application/json, within 3 s):\n  %s\n", e(string(ans)))
	} else if r.Event == webhook.EventURLValidation {
		b.WriteString("\nhandshake: not computed, because the request's signature does not verify; answer a url_validation only after it does\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

func newWebhookSignCmd(env *Env) *cobra.Command {
	var (
		tf               tokenFlags
		event, url, ts   string
		asJSON, showBody bool
	)
	cmd := &cobra.Command{
		Use:   "sign [BODY | -] [--event NAME]",
		Short: "Sign a webhook body as Zoom does: the two headers and a curl command that delivers it",
		Long: `Sign BODY (or standard input with '-') with the Secret Token as Zoom signs deliveries, and print
the x-zm-request-timestamp and x-zm-signature headers and a curl command that delivers it to --url,
to test your endpoint by hand. --event NAME builds a realistic body instead: ` + strings.Join(webhook.EventNames(), ", ") + `.
For endpoint.url_validation it also prints the answer a correct endpoint sends.

The body is signed byte for byte as given: no newline is added or removed.`,
		Example: `  zoomdbg webhook sign --event endpoint.url_validation --secret-token-file dev.token
  zoomdbg webhook sign '{"event":"meeting.ended","payload":{},"event_ts":1764500000000}' --timestamp 1764500001`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := tf.one(env, "webhook sign")
			if err != nil {
				return err
			}
			now := env.Now()
			if ts == "" {
				ts = webhook.Timestamp(now)
			}
			if n, err := strconv.ParseInt(ts, 10, 64); err == nil && n >= 1e11 {
				// Zoom sends seconds; a millisecond stamp signs a delivery Zoom never sends, which is
				// what a verifier that reads event_ts does. Say so, and sign what was asked.
				fmt.Fprintf(env.Stderr, "zoomdbg: warning: --timestamp %s looks like epoch milliseconds; Zoom's %s is in seconds (%d)\n",
					ts, webhook.HeaderTimestamp, n/1000)
			}
			body, err := signBody(env, args, event, now)
			if err != nil {
				return err
			}
			sig := webhook.Sign(s.Value, ts, body)
			curl := webhook.Curl(url, ts, sig, body)
			var hs *webhook.ValidationResponse
			if v, ok := webhook.Handshake(body, s.Value); ok { // signed just now, so it verifies
				hs = &v
			}
			if asJSON {
				return writeJSON(env.Stdout, struct {
					Timestamp string                      `json:"timestamp"`
					Signature string                      `json:"signature"`
					Body      string                      `json:"body"`
					Curl      string                      `json:"curl"`
					Handshake *webhook.ValidationResponse `json:"handshake"`
				}{ts, sig, string(body), curl, hs})
			}
			var b bytes.Buffer
			fmt.Fprintf(&b, "%s: %s\n%s: %s\n", webhook.HeaderTimestamp, ts, webhook.HeaderSignature, sig)
			if showBody || event != "" {
				fmt.Fprintf(&b, "\nbody (%d bytes)\n  %s\n", len(body), termsafe.Escape(string(body)))
			}
			fmt.Fprintf(&b, "\n%s\n", termsafe.Escape(curl))
			if hs != nil {
				ans, _ := json.Marshal(hs)
				fmt.Fprintf(&b, "\na correct endpoint answers HTTP 200 within 3 s with:\n  %s\n", termsafe.Escape(string(ans)))
			}
			_, err = env.Stdout.Write(b.Bytes())
			return err
		},
	}
	tf.register(cmd)
	cmd.Flags().StringVar(&event, "event", "", "build a realistic body for this event: "+strings.Join(webhook.EventNames(), ", "))
	cmd.Flags().StringVar(&url, "url", "http://localhost:4000/webhook", "the endpoint the curl command delivers to")
	cmd.Flags().StringVar(&ts, "timestamp", "", "the x-zm-request-timestamp to sign with, in epoch seconds (default: now)")
	cmd.Flags().BoolVar(&showBody, "show-body", false, "print the body too (always with --event)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object: timestamp, signature, body, curl, handshake")
	return cmd
}

func signBody(env *Env, args []string, event string, now time.Time) ([]byte, error) {
	switch {
	case event != "" && len(args) > 0:
		return nil, usagef("give a BODY or --event, not both")
	case event != "":
		b, err := webhook.Event(event, now, env.Rand)
		if err != nil {
			return nil, usageError{err: err}
		}
		return b, nil
	case len(args) == 1 && args[0] != "-":
		return []byte(args[0]), nil
	case len(args) == 0 && env.StdinIsTTY:
		return nil, usagef("no body: give it as an argument, pipe it to standard input, or use --event NAME")
	}
	b, err := io.ReadAll(io.LimitReader(env.Stdin, maxCaptureInput+1))
	if err != nil {
		return nil, fmt.Errorf("read standard input: %w", err)
	}
	if len(b) > maxCaptureInput {
		return nil, inputf("standard input is over %d bytes", maxCaptureInput)
	}
	return b, nil
}

func newWebhookCheckCmd(env *Env) *cobra.Command {
	var (
		tf      tokenFlags
		asJSON  bool
		timeout time.Duration
	)
	cmd := &cobra.Command{
		Use:   "check URL",
		Short: "Test your running webhook endpoint the way Zoom and a forger would",
		Long: `Send your endpoint at URL what Zoom sends and what a forger would, one request at a time:

  url_validation handshake  200 within 3 s with {"plainToken", "encryptedToken": hex HMAC}
  signed event              must be accepted (2xx)
  re-serialisation bodies   \/, \u00e9 and 1.0 (break JSON.stringify), non-ASCII and emoji
                            (break json.dumps' ensure_ascii): must be accepted
  forgeries                 a wrong signature, another secret's, no signature headers, the body
                            changed after signing, an empty-secret signature: must be refused
  handshake as an oracle    an UNSIGNED url_validation whose plainToken is "v0:<ts>:<body>": an
                            endpoint that answers it signs any forged event; the forged event is
                            then delivered with that signature (a harmless made-up meeting)
  notes                     a 24-hour-old timestamp and an exact replay

Each finding has its severity, the reason, and a curl command to reproduce it. The Secret Token
is never sent or shown; the curl commands hold signatures only. When valid events are refused,
deliveries made the usual wrong ways name the mistake. About 15 requests.

Exit status: 0 when everything passes (notes aside); 1 when a finding is a warning or worse;
2 on a usage error; 3 when the endpoint cannot be reached.`,
		Example: `  zoomdbg webhook check http://localhost:4000/webhook --secret-token-file dev.token
  ZOOM_WEBHOOK_SECRET_TOKEN=... zoomdbg webhook check https://example.ngrok.app/webhook --json`,
		Args: cobra.MatchAll(maxArgs(1), func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("webhook check needs the endpoint's URL")
			}
			return nil
		}),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := tf.one(env, "webhook check")
			if err != nil {
				return err
			}
			if timeout <= 0 {
				return usagef("--timeout must be positive")
			}
			if !strings.HasPrefix(args[0], "http://") && !strings.HasPrefix(args[0], "https://") {
				return usagef("%q: want an http:// or https:// URL", args[0])
			}
			o := webhook.EndpointOptions{URL: args[0], Secret: s.Value, Timeout: timeout, Now: env.Now, Rand: env.Rand}
			if env.StderrIsTTY && !asJSON {
				n := 0
				o.Progress = func(p webhook.Probe) {
					n++
					fmt.Fprintf(env.Stderr, "\r\033[Kchecking: %d probes, last: %s", n, p.Name)
				}
			}
			r, err := webhook.CheckEndpoint(context.Background(), o)
			if env.StderrIsTTY && !asJSON {
				fmt.Fprint(env.Stderr, "\r\033[K")
			}
			if err != nil {
				return errors.New(termsafe.Escape(err.Error())) // unreachable: exit 3
			}
			return emit(env, asJSON, func() any { return newWebhookCheckJSON(r) },
				func(w io.Writer) error { return writeWebhookCheckText(w, r) }, r.OK)
		},
	}
	tf.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.Flags().DurationVar(&timeout, "timeout", webhook.DefaultEndpointTimeout, "timeout of each request (longer than Zoom's 3 s, so slow answers are measured)")
	return cmd
}

type webhookCheckJSON struct {
	*webhook.EndpointReport
	Findings []webhookFindingJSON `json:"findings"`
}

type webhookFindingJSON struct {
	Name     string `json:"name"`
	Severity string `json:"severity"`
	Why      string `json:"why"`
	Curl     string `json:"curl"`
}

func newWebhookCheckJSON(r *webhook.EndpointReport) webhookCheckJSON {
	out := webhookCheckJSON{EndpointReport: r, Findings: []webhookFindingJSON{}}
	for _, f := range r.Findings() {
		out.Findings = append(out.Findings, webhookFindingJSON{Name: f.Name, Severity: f.Severity.String(), Why: f.Why, Curl: f.Curl})
	}
	return out
}

func writeWebhookCheckText(w io.Writer, r *webhook.EndpointReport) error {
	var b bytes.Buffer
	e := termsafe.Escape
	fs := r.Findings()
	fmt.Fprintf(&b, "verdict   %s\nendpoint  %s\n\n", r.Summary(), e(r.URL))
	var probing []webhook.Probe
	for _, p := range r.Probes {
		if p.Probing {
			probing = append(probing, p)
			continue
		}
		got := "refused"
		switch {
		case !p.Sent:
			got = "not sent"
		case p.Expect == webhook.ExpectAnswer && p.Pass:
			got = "answered"
		case p.Accepted:
			got = "accepted"
		}
		sev := ""
		if !p.Pass {
			sev = "  " + strings.ToUpper(p.Severity.String())
		}
		status := "   -"
		if p.Sent {
			status = fmt.Sprintf("%4d", p.Status)
		}
		fmt.Fprintf(&b, "  %s must %-6s %-34s HTTP %s %-8s %6s%s\n", mark(p.Pass), p.Expect, e(p.Name), status, got,
			p.Elapsed.Round(time.Millisecond), sev)
	}
	if len(probing) > 0 {
		b.WriteString("\ndiagnosis: deliveries signed the usual wrong ways\n")
		for _, p := range probing {
			fmt.Fprintf(&b, "  %-8s HTTP %3d  %s\n", map[bool]string{true: "accepted", false: "refused"}[p.Accepted], p.Status, e(strings.TrimPrefix(p.Name, "signed ")))
		}
	}
	if r.Diagnosis != "" {
		fmt.Fprintf(&b, "  → %s\n", e(r.Diagnosis))
	}
	if len(fs) > 0 {
		b.WriteString("\nfindings, most serious first\n")
		for i, f := range fs {
			fmt.Fprintf(&b, "  %d. %-8s %s: %s\n     reproduce: %s\n", i+1, f.Severity, e(f.Name), e(f.Why), e(f.Curl))
		}
		b.WriteString("\nthe signatures in these commands carry the check's timestamp; an endpoint that refuses old timestamps needs a fresh check\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}
