package cli

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/oauth"
	"github.com/zoomdbg/zoomdbg/core/scan"
	"github.com/zoomdbg/zoomdbg/core/snippet"
	"github.com/zoomdbg/zoomdbg/core/termsafe"
)

func newContextCmd(env *Env) *cobra.Command {
	var (
		src    secretFlags
		asJSON bool
		reveal bool
		exact  bool
	)
	cmd := &cobra.Command{
		Use:   "context [TOKEN | -]",
		Short: "Decode one app-context token: layout, key derivations, payload and claims",
		Long: `Decode one x-zoom-app-context token, from the argument or standard input.

Secrets come from --secret-file (repeatable, LABEL=PATH), --secret, or $ZOOM_CLIENT_SECRET.
Without a secret the layout is still shown.

The verdict is the one every face gives (README "The verdict on a context"): the token found in
what was pasted, judged as a backend receives it. --exact judges the input itself as the header
value, finding nothing (one trailing line break of standard input is not part of it).

Exit status: 0 when the verdict is ok (or no_secret: the layout is well formed and no secret was
given); 1 for any other verdict; 2 on a usage error.`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			tok, err := tokenArg(env, args, true)
			if err != nil {
				return err
			}
			secrets, err := src.read(env)
			if err != nil {
				return err
			}
			if _, err := appctx.ZoomKeys(secrets); err != nil {
				return usagef("%v", err)
			}
			keys := env.derive(secrets)
			var (
				r     *appctx.Report
				paste scan.Paste
				j     appctx.Judgement
			)
			if exact {
				tok = trimLineEnd(tok, len(args) == 0 || args[0] == "-")
				r = appctx.Inspect(tok, keys)
				j = appctx.Judge(tok, true, keys, src.clientID, env.Now())
			} else {
				r, paste = scan.InspectPaste(tok, keys)
				j = r.Judge(src.clientID, env.Now())
			}
			out := newContextOutput(r, j, env, src.clientID, reveal)
			out.JWT = decodeJWT(paste.JWT)
			if exact {
				out.Input.Found = escapeInvalidUTF8([]byte(tok))
			}
			return emit(env, asJSON, func() any { return out }, func(w io.Writer) error { return writeContextText(w, r, out) },
				out.OK || out.Verdict == appctx.VerdictNoSecret)
		},
	}
	src.register(cmd)
	cmd.Flags().BoolVar(&exact, "exact", false, "judge the input as the exact header value a backend receives: find nothing in it")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.Flags().BoolVar(&reveal, "reveal", false, "show the derived keys (never the secrets)")
	return cmd
}

// trimLineEnd drops the one line break that ends standard input: it ends the input, it is not
// part of the header value.
func trimLineEnd(s string, fromStdin bool) string {
	if !fromStdin {
		return s
	}
	s = strings.TrimSuffix(s, "\n")
	return strings.TrimSuffix(s, "\r")
}

// contextOutput is the JSON contract of `zoomdbg context --json`.
type contextOutput struct {
	// Verdict and Reason are the one verdict every face gives (README "The verdict on a
	// context"); Status repeats Verdict under its older name. OK is Verdict == "ok".
	Verdict     appctx.Verdict  `json:"verdict"`
	Reason      appctx.Reason   `json:"reason"`
	Detail      string          `json:"detail"`
	Fault       *faultJSON      `json:"fault"`
	Status      appctx.Status   `json:"status"`
	OK          bool            `json:"ok"`
	Input       inputJSON       `json:"input"`
	Fields      []fieldJSON     `json:"fields"`
	Error       *errorJSON      `json:"error"`
	Derivation  *string         `json:"derivation"`
	SecretLabel *string         `json:"secret_label"`
	Diagnosis   []attemptJSON   `json:"diagnosis"`
	Causes      []string        `json:"causes"`
	Hints       []string        `json:"hints"`
	Payload     json.RawMessage `json:"payload"`
	// Plaintext is the decrypted payload as text when it is not one JSON object: bytes that are
	// not UTF-8 are written \xNN, so the output is always valid JSON in valid UTF-8.
	Plaintext *string     `json:"plaintext"`
	Claims    []claimJSON `json:"claims"`
	Expired   bool        `json:"expired"`
	// JWT is set when the paste held a JWT instead of an app context.
	JWT *jwtJSON `json:"jwt,omitempty"`
}

type jwtJSON struct {
	Header map[string]any `json:"header"`
	Claims map[string]any `json:"claims"`
	Error  string         `json:"error,omitempty"`
}

func decodeJWT(tok string) *jwtJSON {
	if tok == "" {
		return nil
	}
	j, err := oauth.DecodeJWT(tok)
	if err != nil {
		return &jwtJSON{Error: err.Error()}
	}
	return &jwtJSON{Header: j.Header, Claims: j.Claims}
}

// faultJSON says where the verdict's fault is: a byte offset in the header, the decoded token or
// the plaintext, the field or claim, the character.
type faultJSON struct {
	Where  appctx.Where `json:"where,omitempty"`
	Offset int          `json:"offset"`
	Field  string       `json:"field,omitempty"`
	Char   string       `json:"char,omitempty"`
}

type inputJSON struct {
	// Found is the token as a backend receives it, what surrounded it in the paste removed.
	Found    string          `json:"found"`
	Encoding appctx.Encoding `json:"encoding"`
	Padded   bool            `json:"padded"`
	Repairs  []string        `json:"repairs"`  // every change, finding steps first
	FoundBy  []string        `json:"found_by"` // the leading repairs that only found the token
	Chars    int             `json:"chars"`
	Bytes    int             `json:"bytes"`
	Pasted   int             `json:"pasted_chars"` // the whole paste the token was looked for in
}

type fieldJSON struct {
	Name   string `json:"name"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
	Hex    string `json:"hex"`
	Value  *int   `json:"value,omitempty"`
	Chars  [2]int `json:"chars"`
}

type errorJSON struct {
	Code    appctx.ErrorCode `json:"code"`
	Message string           `json:"message"`
	Field   string           `json:"field"`
	Offset  int              `json:"offset"`
	Unit    appctx.Unit      `json:"unit"`
}

type attemptJSON struct {
	Derivation  appctx.Derivation `json:"derivation"`
	SecretLabel string            `json:"secret_label"`
	Verifies    bool              `json:"verifies"`
	Error       string            `json:"error,omitempty"`
	Note        string            `json:"note,omitempty"`
	Key         string            `json:"key,omitempty"`
}

type claimJSON struct {
	Name    string `json:"name"`
	Value   string `json:"value"`
	Meaning string `json:"meaning"`
	Note    string `json:"note"`
	Warn    bool   `json:"warn"`
}

func newContextOutput(r *appctx.Report, j appctx.Judgement, env *Env, clientID string, reveal bool) contextOutput {
	in := r.Token.Input
	out := contextOutput{
		Verdict: j.Verdict, Reason: j.Reason, Detail: j.Detail, Status: j.Verdict, OK: j.OK(),
		Input: inputJSON{Found: escapeInvalidUTF8([]byte(in.Found)), FoundBy: nonNil(in.Repairs[:min(in.FindSteps, len(in.Repairs))]), Encoding: in.Encoding, Padded: in.Padded, Repairs: nonNil(in.Repairs),
			Chars: len(in.Text), Bytes: len(in.Bytes), Pasted: len(in.Raw)},
		Fields:    []fieldJSON{},
		Diagnosis: []attemptJSON{},
		Causes:    nonNil(r.Causes),
		Hints:     nonNil(r.Hints),
		Claims:    []claimJSON{},
	}
	if j.Where != "" || j.Field != "" {
		out.Fault = &faultJSON{Where: j.Where, Offset: j.Offset, Field: j.Field, Char: j.Char}
	}
	for _, f := range r.Token.Fields {
		fj := fieldJSON{Name: f.Name, Offset: f.Offset, Length: f.Length(), Hex: hex.EncodeToString(f.Bytes),
			Chars: [2]int{f.Chars.Start, f.Chars.End}}
		if f.IsLength() {
			fj.Value = &f.Value
		}
		out.Fields = append(out.Fields, fj)
	}
	var fe *appctx.FormatError
	if errors.As(r.ParseErr, &fe) {
		out.Error = &errorJSON{Code: fe.Code, Message: fe.Error(), Field: fe.Field, Offset: fe.Offset, Unit: fe.Unit}
	} else if r.JSONErr != nil && out.Status == appctx.StatusBadPayload {
		out.Error = &errorJSON{Code: "bad_payload", Message: r.JSONErr.Error(), Field: "payload", Unit: appctx.UnitByte}
	}
	for _, a := range r.Attempts {
		aj := attemptJSON{Derivation: a.Key.Derivation, SecretLabel: a.Key.SecretLabel, Verifies: a.Verifies, Note: a.Key.Note}
		if a.Err != nil {
			aj.Error = a.Err.Error()
		}
		switch {
		case !reveal || a.Key.Err != nil:
		case a.Key.IsSecret():
			aj.Key = appctx.SecretNotShown
		default:
			aj.Key = hex.EncodeToString(a.Key.Bytes)
		}
		out.Diagnosis = append(out.Diagnosis, aj)
	}
	if r.Opened != nil {
		d, l := string(r.Opened.Key.Derivation), r.Opened.Key.SecretLabel
		out.Derivation, out.SecretLabel = &d, &l
	}
	switch {
	case r.Object != nil:
		out.Payload = json.RawMessage(r.Payload)
		now := env.Now()
		for _, c := range appctx.Claims(r.Object, now, clientID) {
			out.Claims = append(out.Claims, claimJSON{Name: c.Name, Value: c.Value, Meaning: c.Meaning, Note: c.Note, Warn: c.Warn})
		}
		out.Expired = appctx.Expired(r.Object, now)
	case r.Payload != nil:
		pt := escapeInvalidUTF8(r.Payload)
		out.Plaintext = &pt
	}
	return out
}

// escapeInvalidUTF8 returns b as text with each byte that is not UTF-8 written \xNN, so that it
// can be shown and carried in JSON without being replaced or lost.
func escapeInvalidUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			fmt.Fprintf(&sb, "\\x%02x", b[0])
		} else {
			sb.Write(b[:n])
		}
		b = b[n:]
	}
	return sb.String()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// writeJSON prints v as indented JSON with the C1 controls encoding/json leaves raw escaped.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(termsafe.EscapeJSON(b), '\n'))
	return err
}

// hexPreview shows up to max bytes of b as hex, and how many there are in all.
func hexPreview(b []byte, max int) string {
	switch {
	case len(b) == 0:
		return "(empty)"
	case len(b) <= max:
		return hex.EncodeToString(b)
	}
	return fmt.Sprintf("%s… (%d bytes)", hex.EncodeToString(b[:max]), len(b))
}

func writeContextText(w io.Writer, r *appctx.Report, out contextOutput) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "verdict   %s\n", verdictLine(r, out))
	writeInput(&b, out)
	writeFields(&b, r)
	if r.ParseErr != nil {
		fmt.Fprintf(&b, "\nerror     %s\n", termsafe.Escape(r.ParseErr.Error()))
	}
	writeJWT(&b, out.JWT)
	writeAttempts(&b, out)
	writeList(&b, "likely causes, most likely first", out.Causes, true)
	writePayload(&b, r, out)
	if r.ParseErr == nil {
		writeList(&b, "what your backend must do with this token", out.Hints, false)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func verdictLine(r *appctx.Report, out contextOutput) string {
	switch out.Verdict {
	case appctx.VerdictOK:
		return fmt.Sprintf("ok: tag verified with Zoom's derivation and secret %q; the claims pass", r.Opened.Key.SecretLabel)
	case appctx.VerdictNoSecret:
		return "no secret: the layout parses; give --secret-file or $" + SecretEnv + " to open it"
	case appctx.VerdictTagMismatch:
		return "tag mismatch: " + termsafe.Escape(r.MismatchReason())
	case appctx.VerdictNoToken:
		return noTokenLine(r, out)
	}
	line := out.Verdict.Words() + " (" + string(out.Reason) + "): " + termsafe.Escape(out.Detail)
	if r.Repaired() {
		line += "; it opens once repaired (see the causes)"
	}
	return line
}

// noTokenLine says what a paste holds when it holds no app context.
func noTokenLine(r *appctx.Report, out contextOutput) string {
	if out.JWT != nil {
		return "no token: this is a JWT (an OAuth access or ID token); an app context is one base64url string with no dots"
	}
	if f, ok := snippet.Explain(r.Token.Input.Raw); ok {
		return fmt.Sprintf("no token: this is %s's error %q (zoomdbg explain lists its causes); paste the token your backend failed on",
			f.Language, f.Message)
	}
	if out.Error != nil && out.Error.Code == scan.ErrNoToken {
		return "no token: nothing in the paste has an app context's shape"
	}
	return "no token: " + strings.TrimPrefix(termsafe.Escape(out.Detail), "no token: ") // the detail may say it already
}

func writeInput(b *bytes.Buffer, out contextOutput) {
	pad := "unpadded"
	if out.Input.Padded {
		pad = "padded"
	}
	enc := out.Input.Encoding
	if enc == "" {
		enc = "unreadable"
	}
	if out.Input.Found != "" && len(out.Input.Found) != out.Input.Pasted {
		fmt.Fprintf(b, "found     %d characters, as a backend receives them\n", len(out.Input.Found))
	}
	if out.Input.Chars == 0 && out.Input.Pasted > 0 {
		fmt.Fprintf(b, "input     %d characters pasted, no token found in them\n", out.Input.Pasted)
	} else {
		fmt.Fprintf(b, "input     %s, %s, %d characters → %d bytes\n", enc, pad, out.Input.Chars, out.Input.Bytes)
	}
	for i, rep := range out.Input.Repairs {
		label := "repaired"
		if i < len(out.Input.FoundBy) {
			label = "found by"
		}
		fmt.Fprintf(b, "%-8s  %s\n", label, termsafe.Escape(rep))
	}
}

func writeFields(b *bytes.Buffer, r *appctx.Report) {
	if len(r.Token.Fields) == 0 {
		return
	}
	const row = "%-13s  %6s  %6s  %9s  %s\n"
	fmt.Fprintf(b, "\n"+row, "field", "offset", "length", "chars", "value")
	for _, f := range r.Token.Fields {
		v := hexPreview(f.Bytes, 16)
		if f.IsLength() {
			v = fmt.Sprint(f.Value)
		}
		fmt.Fprintf(b, row, f.Name, fmt.Sprint(f.Offset), fmt.Sprint(f.Length()), fmt.Sprintf("%d-%d", f.Chars.Start, f.Chars.End), v)
	}
	if fe := (*appctx.FormatError)(nil); errors.As(r.ParseErr, &fe) && fe.Unit == appctx.UnitByte {
		fmt.Fprintf(b, row, fe.Field, fmt.Sprint(fe.Offset), "", "", "^ fault: "+string(fe.Code))
	}
}

func writeJWT(b *bytes.Buffer, j *jwtJSON) {
	if j == nil {
		return
	}
	if j.Error != "" {
		fmt.Fprintf(b, "\njwt       %s\n", termsafe.Escape(j.Error))
		return
	}
	for _, part := range []struct {
		name string
		v    map[string]any
	}{{"jwt header", j.Header}, {"jwt claims (not verified: only the issuer can)", j.Claims}} {
		ind, _ := json.MarshalIndent(part.v, "  ", "  ")
		fmt.Fprintf(b, "\n%s\n", part.name)
		for _, l := range strings.Split(string(ind), "\n") {
			fmt.Fprintf(b, "  %s\n", termsafe.Escape(strings.TrimPrefix(l, "  ")))
		}
	}
}

func writeAttempts(b *bytes.Buffer, out contextOutput) {
	if len(out.Diagnosis) == 0 {
		return
	}
	b.WriteString("\nkey derivation    secret              verdict\n")
	for _, a := range out.Diagnosis {
		verdict := "tag mismatch"
		switch {
		case a.Verifies:
			verdict = "tag verified"
		case a.Error != "" && a.Error != appctx.ErrTagMismatch.Error():
			verdict = "no key: " + a.Error
		}
		name := string(a.Derivation)
		if a.Derivation == appctx.DeriveSHA256 {
			name += " (Zoom)"
		}
		fmt.Fprintf(b, "%-16s  %-18s  %s", name, termsafe.Escape(a.SecretLabel), verdict)
		if a.Note != "" {
			fmt.Fprintf(b, " (%s)", a.Note)
		}
		if a.Key != "" {
			fmt.Fprintf(b, "\n%16s  key %s", "", a.Key)
		}
		b.WriteString("\n")
	}
}

func writeList(b *bytes.Buffer, title string, items []string, numbered bool) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s\n", title)
	for i, it := range items {
		mark := "-"
		if numbered {
			mark = fmt.Sprintf("%d.", i+1)
		}
		fmt.Fprintf(b, "  %s %s\n", mark, termsafe.Escape(it))
	}
}

func writePayload(b *bytes.Buffer, r *appctx.Report, out contextOutput) {
	if r.Payload == nil {
		return
	}
	b.WriteString("\npayload\n")
	if r.Object == nil {
		shown := "(empty)"
		if out.Plaintext != nil && *out.Plaintext != "" {
			shown = termsafe.Escape(*out.Plaintext)
		}
		fmt.Fprintf(b, "  %s\n  (%s)\n", shown, termsafe.Escape(r.JSONErr.Error()))
		return
	}
	var ind bytes.Buffer
	if err := json.Indent(&ind, r.Payload, "  ", "  "); err != nil {
		// Unreachable (Object is set only for one valid object); never list claims under an
		// empty payload.
		fmt.Fprintf(b, "  %s\n", termsafe.Escape(escapeInvalidUTF8(r.Payload)))
	} else {
		fmt.Fprintf(b, "  %s\n", termsafe.EscapeLines(ind.String()))
	}
	b.WriteString("\nclaims\n")
	width := 0
	for _, c := range out.Claims {
		width = max(width, len(c.Name))
	}
	for _, c := range out.Claims {
		note := c.Note
		if c.Warn {
			note = "! " + note
		}
		if note == "" {
			note = c.Meaning
		}
		if note == "" {
			note = "(not a claim zoomdbg knows)"
		}
		fmt.Fprintf(b, "  %-*s  %-26s  %s\n", width, termsafe.Escape(c.Name), termsafe.Escape(clip(c.Value, 26)), termsafe.Escape(note))
	}
}

// clip shortens s to at most n runes, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
