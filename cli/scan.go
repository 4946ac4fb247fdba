package cli

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"zoomdbg/core/scan"
	"zoomdbg/core/termsafe"
)

func newScanCmd(env *Env) *cobra.Command {
	var (
		src     secretFlags
		asJSON  bool
		failOn  []string
		workers int
	)
	cmd := &cobra.Command{
		Use:   "scan [FILE...]",
		Short: "Find every app-context token in logs and say whether each opens, with which secret, and why not",
		Long: `Read logs (files, .gz read transparently, or standard input) and find every app-context token:
after an x-zoom-app-context header (any case), in a JSON field or query parameter whose name ends in
"context", or bare on a line. A bare run is counted only when its layout parses; a named one always.

Output: a summary; with --json one JSON line per token, in input order, then the summary line.
--fail-on KINDS (comma-separated: mismatch, malformed, bad_payload, expired, any) exits 1 when a
token of those kinds was found.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			fail, err := parseFailOn(failOn)
			if err != nil {
				return err
			}
			secrets, err := src.read(env)
			if err != nil {
				return err
			}
			var read atomic.Int64
			inputs, total, closeAll, err := openInputs(env, args, &read)
			if err != nil {
				return err
			}
			defer closeAll()
			opener := scan.NewOpener(secrets, env.Now())
			p := startProgress(env, &read, total)
			defer p.stop()

			out := bufio.NewWriterSize(env.Stdout, 64<<10)
			emit := func(r scan.Result) error {
				if !asJSON {
					return nil
				}
				b, err := json.Marshal(r)
				if err != nil {
					return err
				}
				out.Write(termsafe.EscapeJSON(b))
				return out.WriteByte('\n')
			}
			sum, err := scan.Run(context.Background(), inputs, opener, workers, emit)
			p.stop()
			if err != nil {
				return err
			}
			if asJSON {
				b, _ := json.Marshal(struct {
					Summary *scan.Summary `json:"summary"`
				}{sum})
				out.Write(termsafe.EscapeJSON(b))
				out.WriteByte('\n')
			} else {
				writeSummary(out, sum, len(secrets) > 0)
			}
			if err := out.Flush(); err != nil {
				return err
			}
			if fail(sum) {
				return exitError{ExitFailed}
			}
			return nil
		},
	}
	src.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "one JSON line per token, then a summary line")
	cmd.Flags().StringSliceVar(&failOn, "fail-on", nil, "exit 1 when a token of these kinds is found: mismatch, malformed, bad_payload, expired, any")
	cmd.Flags().IntVar(&workers, "workers", 0, "goroutines opening tokens (default: one per CPU)")
	return cmd
}

func parseFailOn(kinds []string) (func(*scan.Summary) bool, error) {
	want := map[scan.Status]bool{}
	for _, k := range kinds {
		switch strings.TrimSpace(k) {
		case "mismatch":
			want[scan.TagMismatch] = true
		case "malformed":
			want[scan.Malformed] = true
		case "bad_payload":
			want[scan.BadPayload] = true
		case "expired":
			want[scan.Expired] = true
		case "any":
			want[scan.TagMismatch], want[scan.Malformed], want[scan.BadPayload] = true, true, true
		default:
			return nil, usagef("--fail-on %q: want mismatch, malformed, bad_payload, expired or any", k)
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

// openInputs opens each file (standard input for none or "-"), unwrapping gzip by its magic bytes.
// total is the sum of the files' sizes, 0 when unknown; read counts the bytes read from them.
func openInputs(env *Env, names []string, read *atomic.Int64) ([]scan.Input, int64, func(), error) {
	var closers []io.Closer
	closeAll := func() {
		for _, c := range closers {
			c.Close()
		}
	}
	if len(names) == 0 {
		names = []string{"-"}
	}
	var inputs []scan.Input
	var total int64
	for _, name := range names {
		var r io.Reader = env.Stdin
		if name != "-" {
			f, err := os.Open(name)
			if err != nil {
				closeAll()
				return nil, 0, nil, usagef("%v", err)
			}
			closers = append(closers, f)
			if fi, err := f.Stat(); err == nil {
				total += fi.Size()
			}
			r = countingReader{f, read}
		}
		r, err := maybeGunzip(r, name)
		if err != nil {
			closeAll()
			return nil, 0, nil, err
		}
		inputs = append(inputs, scan.Input{Name: name, R: r})
	}
	return inputs, total, closeAll, nil
}

// maybeGunzip reads the first two bytes and, when they are gzip's magic, returns a decompressing
// reader; otherwise a reader that gives them back first, with no buffering of its own (the scanner
// reads in large blocks).
func maybeGunzip(r io.Reader, name string) (io.Reader, error) {
	var magic [2]byte
	n, err := io.ReadFull(r, magic[:])
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	r = io.MultiReader(bytes.NewReader(magic[:n]), r)
	if n < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		return r, nil
	}
	zr, err := gzip.NewReader(bufio.NewReaderSize(r, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return zr, nil
}

func writeSummary(w io.Writer, s *scan.Summary, haveSecret bool) {
	fmt.Fprintf(w, "tokens     %d\n", s.Tokens)
	order := []scan.Status{scan.OK, scan.Expired, scan.TagMismatch, scan.Malformed, scan.BadPayload, scan.NoSecret}
	for _, st := range order {
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
		fmt.Fprintln(w, "opened by")
		for _, l := range labels {
			fmt.Fprintf(w, "  %-12s %d\n", termsafe.Escape(l), s.BySecret[l])
		}
	}
	approx := ""
	if s.Estimated {
		approx = " (estimated past 4096, within about 1%)"
	}
	fmt.Fprintf(w, "distinct   %d uids, %d meetings%s\n", s.UIDs, s.Meetings, approx)
	if !haveSecret && s.Tokens > 0 {
		fmt.Fprintf(w, "no secret: give --secret-file or $%s to open the tokens\n", SecretEnv)
	}
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
	f, ok := env.Stderr.(*os.File)
	if !ok || total < progressMin || !isTerminal(f) {
		return p
	}
	p.w, p.quit, p.ended = f, make(chan struct{}), make(chan struct{})
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

// countingReader counts the bytes read from a file, compressed or not: the sizes the bar knows.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n.Add(int64(n))
	return n, err
}
