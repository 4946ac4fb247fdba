package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/zoomdbg/zoomdbg/core/scan"
	"github.com/zoomdbg/zoomdbg/core/termsafe"
)

// ExitInterrupted is the status after Ctrl+C, as shells report a process ended by SIGINT.
const ExitInterrupted = 130

// problemsShown is how many failing tokens text mode lists without --all.
const problemsShown = 20

func newScanCmd(env *Env) *cobra.Command {
	var (
		src     secretFlags
		asJSON  bool
		all     bool
		failOn  []string
		at      string
		tz      string
		workers int
	)
	cmd := &cobra.Command{
		Use:   "scan [FILE...]",
		Short: "Find every app-context token in logs and say whether each opens, with which secret, and why not",
		Long: `Read logs (files, or standard input; gzip, bzip2 and zstd are read by their magic bytes, UTF-16
with a byte-order mark as PowerShell writes it is decoded) and find every app-context token:

  - named by a key: an x-zoom-app-context header in any case and any dump shape (curl -v, Go's
    http.Header, Python and Ruby hashes, PHP print_r, logfmt, HAR's "name"/"value" pairs), a JSON
    field or query parameter named context, appContext, app_context and the like; the value is
    decoded first (percent-escapes, JSON escapes, spaces a URL decoder made of '+'). A named value
    counts when it could be a token: 47 base64 characters or more, or the start of one, so a
    truncated token is reported malformed while "RoutesResolver", "undefined" and trace ids are not;
  - bare on a line: a run of base64 counts only when its layout parses, so JWTs, hashes and
    images are ignored.

Expiry is judged at the time the request arrived: the time the log line carries (ISO 8601,
the web-server log format, ctime, an HTTP date, syslog, or epoch seconds or milliseconds in a
JSON time field at any position), or --at; with neither, it is not judged, and the JSON says so.
A zone the line names (Z, +05:30, UTC, GMT, JST...) is used; a name that means more than one
offset (IST, CST) leaves the token unjudged, with the reason. A time written without a zone, as
most loggers write local time, is read in this machine's zone, or --tz.

Output: per-file counts and the failing tokens as file:line; with --json one JSON line per token,
in input order, then a summary line. --fail-on KINDS exits 1 when a token of those kinds was
found. A file that cannot be read is reported and skipped (exit 2 at the end); a compressed file
that breaks part way is reported with how far it got (exit 3). Ctrl+C stops cleanly (exit 130).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			fail, err := parseFailOn(failOn)
			if err != nil {
				return err
			}
			atTime, err := parseAt(at, env.Now)
			if err != nil {
				return err
			}
			zone := time.Local
			if tz != "" {
				if zone, err = time.LoadLocation(tz); err != nil {
					return usagef("--tz %q: want a zone name such as UTC or Europe/Berlin (%v)", tz, err)
				}
			}
			secrets, err := src.read(env)
			if err != nil {
				return err
			}
			if err := failOnNeedsSecret(failOn, len(secrets) > 0); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runScan(ctx, env, args, scanSettings{opener: scan.NewOpener(secrets, atTime).WithClientID(src.clientID).WithZone(zone),
				asJSON: asJSON, all: all, fail: fail, workers: workers, haveSecret: len(secrets) > 0})
		},
	}
	src.register(cmd)
	cmd.Flags().Lookup("client-id").Usage = "the app's client ID: a token whose aud differs is reported wrong_aud"
	cmd.Flags().BoolVar(&asJSON, "json", false, "one JSON line per token, then a summary line")
	cmd.Flags().BoolVar(&all, "all", false, "list every failing token, not only the first 20")
	cmd.Flags().StringSliceVar(&failOn, "fail-on", nil,
		"exit 1 when a token of these kinds is found: tag_mismatch (or mismatch), malformed, bad_payload, expired, wrong_aud, no_secret, any")
	cmd.Flags().StringVar(&at, "at", "", "judge every token's expiry at this time (RFC 3339, epoch seconds or ms, or now) instead of its line's")
	cmd.Flags().StringVar(&tz, "tz", "", "the zone of log times written without one, such as UTC or Europe/Berlin (default: this machine's)")
	cmd.Flags().IntVar(&workers, "workers", 0, "goroutines opening tokens (default: one per CPU)")
	return cmd
}

type scanSettings struct {
	opener      *scan.Opener
	asJSON, all bool
	fail        func(*scan.Summary) bool
	workers     int
	haveSecret  bool
}

func runScan(ctx context.Context, env *Env, names []string, s scanSettings) error {
	if len(names) == 0 {
		names = []string{"-"}
		if env.StdinIsTTY { // a paste is a fair input, but never wait without a word
			fmt.Fprintln(env.Stderr, "zoomdbg: scan reads standard input: paste log lines, then ctrl+d (or give FILE)")
		}
	}
	var read atomic.Int64
	var total int64
	live := false
	inputs := make([]scan.Input, len(names))
	for i, name := range names {
		// Each input is opened when the scan reaches it: one file open at a time, and a FIFO
		// waiting for its writer holds up nothing before it.
		inputs[i] = scan.Input{Name: name, Open: func() (*scan.Opened, error) { return scan.Open(name, env.Stdin, &read) }}
		if fi, err := os.Stat(name); err == nil && fi.Mode().IsRegular() {
			total += fi.Size()
		}
		live = live || scan.NameIsLive(name, env.Stdin)
	}
	p := startProgress(env, &read, total)
	defer p.stop()

	out := bufio.NewWriterSize(env.Stdout, 64<<10)
	tally := newFileTally()
	emit := func(r *scan.Result) error {
		if tally.add(r, s.all) && r.Status == scan.TagMismatch && !s.asJSON {
			// The summary will say why it fails: the keys that may tell are derived meanwhile.
			s.opener.PrepareExplain()
		}
		switch {
		case s.asJSON:
			b, err := json.Marshal(r)
			if err != nil {
				return err
			}
			out.Write(termsafe.EscapeJSON(b))
			return out.WriteByte('\n')
		case live: // tail -f: a line per token as it arrives, the summary at the end
			s.opener.Explain(r)
			writeResult(out, r)
		}
		return nil
	}
	if !s.asJSON {
		// Text lists a few failing tokens: why each fails is worked out for those only; and it
		// shows no token's typ, uid or mid, only how many distinct ones there are.
		s.opener.WithDeferredMismatch().WithoutClaimText()
		if !live { // the summary counts ok tokens; only a live scan prints a line for each
			s.opener.WithoutOKResults()
		}
	}
	sum, err := scan.RunFlushing(ctx, inputs, s.opener, s.workers, emit, out.Flush)
	for i := range tally.problems {
		s.opener.Explain(&tally.problems[i])
	}
	p.stop()
	interrupted := ctx.Err() != nil
	var openErrs, readErrs []error
	for _, e := range splitErrors(err) {
		var ie *scan.InputError
		switch {
		case e == nil, errors.Is(e, context.Canceled):
		case errors.As(e, &ie) && !ie.Partial:
			openErrs = append(openErrs, e)
		default:
			readErrs = append(readErrs, e)
		}
	}
	for _, e := range append(openErrs, readErrs...) {
		fmt.Fprintf(env.Stderr, "zoomdbg: scan: %s\n", termsafe.Escape(e.Error()))
	}
	if len(openErrs) == len(names) {
		fmt.Fprintln(env.Stderr, "zoomdbg: scan: no input could be read")
		return exitError{ExitUsage}
	}
	for _, name := range sum.Binary {
		fmt.Fprintf(env.Stderr, "zoomdbg: scan: %s is not text (NUL or control bytes at its start): not a log, or compressed in a format other than gzip, bzip2 or zstd\n", termsafe.Escape(name))
	}
	if s.asJSON {
		b, _ := json.Marshal(struct {
			Summary     *scan.Summary               `json:"summary"`
			Files       map[string]map[string]int64 `json:"by_file"`
			Interrupted bool                        `json:"interrupted,omitempty"`
		}{sum, byFile(sum), interrupted})
		out.Write(termsafe.EscapeJSON(b))
		out.WriteByte('\n')
	} else {
		writeSummary(out, sum, tally, s.haveSecret, s.all)
		if interrupted {
			fmt.Fprintln(out, "interrupted: the counts above cover every line read before Ctrl+C")
		}
	}
	if ferr := out.Flush(); ferr != nil {
		return ferr
	}
	switch {
	case interrupted:
		return exitError{ExitInterrupted}
	case len(readErrs) > 0:
		return exitError{ExitTrouble}
	case len(openErrs) > 0:
		return exitError{ExitUsage}
	case s.fail(sum):
		return exitError{ExitFailed}
	}
	return nil
}

// writeResult writes one token's line as a live scan prints it: where, the status, and why.
func writeResult(w io.Writer, r *scan.Result) {
	why := reason(*r)
	switch {
	case r.Status != scan.OK:
	case r.NotJudged != "":
		why = "expiry not judged: " + r.NotJudged
	case r.JudgedBy == scan.JudgedByNone:
		why = "expiry not judged: the line carries no time"
	default:
		why = fmt.Sprintf("opened with %s; exp %s, live at %s (%s)", r.SecretLabel, time.UnixMilli(r.Exp).UTC().Format(time.RFC3339),
			r.JudgedAt.Format(time.RFC3339), r.JudgedBy)
	}
	fmt.Fprintf(w, "%s:%d  %-12s  %s\n", termsafe.Escape(r.File), r.Line, r.Status, termsafe.Escape(why))
}

func splitErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// parseAt reads --at: RFC 3339, epoch seconds or milliseconds, or "now". Empty is no --at.
func parseAt(s string, now func() time.Time) (time.Time, error) {
	switch s = strings.TrimSpace(s); {
	case s == "":
		return time.Time{}, nil
	case s == "now":
		return now(), nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n > 1e11 {
			return time.UnixMilli(n), nil
		}
		return time.Unix(n, 0), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usagef("--at %q: want RFC 3339 (2026-03-05T10:00:00Z), epoch seconds or milliseconds, or now", s)
}

// failKinds maps the names --fail-on takes, as the JSON prints the statuses and the older short
// names, to statuses.
var failKinds = map[string][]scan.Status{
	"tag_mismatch": {scan.TagMismatch}, "mismatch": {scan.TagMismatch},
	"malformed": {scan.Malformed}, "bad_payload": {scan.BadPayload}, "expired": {scan.Expired},
	"wrong_aud": {scan.WrongAud}, "no_secret": {scan.NoSecret},
	"any": {scan.TagMismatch, scan.Malformed, scan.BadPayload, scan.Expired, scan.WrongAud, scan.NoSecret},
}

// needSecret are the --fail-on kinds only an opened token can be: without a secret no token is
// opened, so asking to fail on them would silently never fail.
var needSecret = map[string]bool{"tag_mismatch": true, "mismatch": true, "bad_payload": true, "expired": true, "wrong_aud": true}

// failOnNeedsSecret refuses --fail-on kinds that cannot be found without a secret.
func failOnNeedsSecret(kinds []string, haveSecret bool) error {
	if haveSecret {
		return nil
	}
	for _, k := range kinds {
		if k = strings.TrimSpace(k); needSecret[k] {
			return usagef("--fail-on %s needs a secret: without one no token is opened, so %s can never be found "+
				"(give --secret-file or $%s; malformed and no_secret need none)", k, k, SecretEnv)
		}
	}
	return nil
}

func parseFailOn(kinds []string) (func(*scan.Summary) bool, error) {
	want := map[scan.Status]bool{}
	for _, k := range kinds {
		sts, ok := failKinds[strings.TrimSpace(k)]
		if !ok {
			return nil, usagef("--fail-on %q: want tag_mismatch, malformed, bad_payload, expired, wrong_aud, no_secret or any", k)
		}
		for _, st := range sts {
			want[st] = true
		}
	}
	return func(s *scan.Summary) bool {
		for st := range want {
			if s.ByStatus[st] > 0 {
				return true
			}
		}
		return false
	}, nil
}

// fileTally keeps the failing and expired tokens to list, in input order (the counts, by file
// too, are the Summary's).
type fileTally struct {
	problems []scan.Result
	failed   int
}

func newFileTally() *fileTally { return &fileTally{} }

// add reports whether r is kept to be listed among the problems.
func (t *fileTally) add(r *scan.Result, all bool) bool {
	if r.Status.Failed() || r.Status == scan.Expired {
		t.failed++
		if all || len(t.problems) < problemsShown {
			t.problems = append(t.problems, *r)
			t.problems[len(t.problems)-1].Detach() // kept past emit
			return true
		}
	}
	return false
}

// byFile is the JSON's by_file: each input's counts by status.
func byFile(s *scan.Summary) map[string]map[string]int64 {
	out := make(map[string]map[string]int64, len(s.Files()))
	for _, f := range s.Files() {
		c := s.FileCounts(f)
		m := make(map[string]int64, len(c))
		for i, n := range c {
			if n > 0 {
				m[string(scan.Statuses[i])] = n
			}
		}
		out[f] = m
	}
	return out
}

func writeSummary(w io.Writer, s *scan.Summary, t *fileTally, haveSecret, all bool) {
	e := termsafe.Escape
	distinct := fmt.Sprintf("%d distinct", min(int64(s.Distinct), s.Tokens))
	if s.Estimated {
		distinct = "about " + distinct
	}
	switch {
	case s.Tokens == 0:
		fmt.Fprintln(w, "tokens     none found")
	case int64(s.Distinct) < s.Tokens && !s.Estimated:
		fmt.Fprintf(w, "tokens     %d found, %s (a token logged twice, or a HAR entry's URL, :path and header, counts once)\n", s.Tokens, distinct)
	default:
		fmt.Fprintf(w, "tokens     %d found, %s\n", s.Tokens, distinct)
	}
	for _, st := range scan.Statuses {
		if n := s.ByStatus[st]; n > 0 {
			fmt.Fprintf(w, "  %-12s %d\n", st, n)
		}
	}
	if len(s.BySecret) > 0 {
		labels := make([]string, 0, len(s.BySecret))
		for l := range s.BySecret {
			labels = append(labels, l)
		}
		sort.Strings(labels)
		fmt.Fprintln(w, "opened by  (tokens each secret opened with Zoom's SHA-256 derivation, whatever their payload)")
		width := 12 // as the statuses above
		for _, l := range labels {
			width = max(width, len([]rune(e(l))))
		}
		for _, l := range labels {
			fmt.Fprintf(w, "  %-*s %d\n", width, e(l), s.BySecret[l])
		}
	}
	if n := s.Unjudged - s.ZoneAmbiguous; n > 0 {
		fmt.Fprintf(w, "expiry     not judged for %d tokens: their lines carry no time; give --at TIME to judge them\n", n)
	}
	if s.ZoneAmbiguous > 0 {
		fmt.Fprintf(w, "expiry     not judged for %d tokens: their lines name a zone that means more than one offset (IST, CST...); give --at TIME to judge them\n", s.ZoneAmbiguous)
	}
	approx := ""
	if s.Estimated {
		approx = " (estimated past 4096, within about 1%)"
	}
	fmt.Fprintf(w, "distinct   %d uids, %d meetings%s\n", s.UIDs, s.Meetings, approx)
	if files := s.Files(); len(files) > 1 {
		fmt.Fprintln(w, "per file")
		width := 0
		for _, f := range files {
			width = max(width, len([]rune(e(f))))
		}
		for _, f := range files {
			fmt.Fprintf(w, "  %-*s  %s\n", width, e(f), statusList(s.FileCounts(f)))
		}
	}
	if t.failed > 0 {
		more := ""
		if !all && t.failed > len(t.problems) {
			more = fmt.Sprintf(", the first %d; --all lists every one", len(t.problems))
		}
		fmt.Fprintf(w, "problems   %d%s\n", t.failed, more)
		width := 0
		for _, r := range t.problems {
			width = max(width, len([]rune(fmt.Sprintf("%s:%d", e(r.File), r.Line))))
		}
		for _, r := range t.problems {
			fmt.Fprintf(w, "  %-*s  %-12s  %s\n", width, fmt.Sprintf("%s:%d", e(r.File), r.Line), r.Status, e(reason(r)))
		}
	}
	if !haveSecret && s.Tokens > 0 {
		fmt.Fprintf(w, "no secret: give --secret-file or $%s to open the tokens\n", SecretEnv)
	}
}

func reason(r scan.Result) string {
	if r.Status == scan.Expired {
		return fmt.Sprintf("exp %s, %s before the request (%s)", time.UnixMilli(r.Exp).UTC().Format(time.RFC3339), agoAt(r), r.JudgedBy)
	}
	return r.Error
}

func agoAt(r scan.Result) string {
	return r.JudgedAt.Sub(time.UnixMilli(r.Exp)).Round(time.Second).String()
}

func statusList(c []int64) string {
	var total int64
	var parts []string
	for i, st := range scan.Statuses {
		if n := c[i]; n > 0 {
			total += n
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	noun := "tokens"
	if total == 1 {
		noun = "token"
	}
	return fmt.Sprintf("%d %s: %s", total, noun, strings.Join(parts, ", "))
}

// progress draws a bar on stderr while large files are read, when stderr is a terminal.
type progress struct {
	read  *atomic.Int64
	total int64
	quit  chan struct{}
	ended chan struct{}
	w     io.Writer
}

// progressMin is the input size below which no bar is drawn: it would only flicker.
const progressMin = 16 << 20

func startProgress(env *Env, read *atomic.Int64, total int64) *progress {
	p := &progress{read: read, total: total}
	if !env.StderrIsTTY || total < progressMin {
		return p
	}
	p.w, p.quit, p.ended = env.Stderr, make(chan struct{}), make(chan struct{})
	go p.loop()
	return p
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func (p *progress) loop() {
	defer close(p.ended)
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.quit:
			fmt.Fprint(p.w, "\r\x1b[K")
			return
		case <-t.C:
			frac := min(float64(p.read.Load())/float64(p.total), 1)
			const width = 30
			n := int(frac * width)
			fmt.Fprintf(p.w, "\r[%s%s] %3.0f%% of %d MB", strings.Repeat("#", n), strings.Repeat(".", width-n), frac*100, p.total>>20)
		}
	}
}

func (p *progress) stop() {
	if p.quit == nil {
		return
	}
	close(p.quit)
	<-p.ended
	p.quit = nil
}
