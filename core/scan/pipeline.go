package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// Input is one stream to scan, with the name results carry.
type Input struct {
	Name string
	R    io.Reader
	// Fail, when set, turns an error reading R into one that says how far it got.
	Fail func(error) error
	// Live is set for a pipe, a terminal or a FIFO: its lines are scanned, and their results
	// emitted, as they arrive, and a scan interrupted while it waits for input stops at once.
	Live bool
	// Open, when set, opens the input when the scan reaches it, in place of R: inputs are opened
	// one at a time, and a FIFO with no writer yet does not hold up the inputs before it. An
	// error it returns is reported and the scan goes on with the next input.
	Open func() (*Opened, error)
}

// Summary counts what a scan found.
type Summary struct {
	Tokens   int64            `json:"tokens"`
	Distinct int              `json:"distinct_tokens"` // a HAR entry repeats a token in its URL, :path and queryString
	ByStatus map[Status]int64 `json:"by_status"`
	BySecret map[string]int64 `json:"by_secret"` // tokens opened with Zoom's derivation, by the secret that opened them
	UIDs     int              `json:"distinct_uids"`
	Meetings int              `json:"distinct_meetings"`
	// Unjudged counts opened tokens whose expiry could not be judged: no time on the line, no --at.
	Unjudged int64 `json:"expiry_not_judged"`
	// ZoneAmbiguous counts, of those, the tokens whose line names a zone that means more than one
	// offset (IST, CST).
	ZoneAmbiguous int64 `json:"expiry_zone_ambiguous,omitempty"`
	// Estimated is set when a distinct count passed the exact limit and is a HyperLogLog estimate.
	Estimated bool `json:"distinct_estimated,omitempty"`
	// Binary names the inputs that are not text: an image, an archive of a format scan does not
	// read, random bytes.
	Binary []string `json:"binary_inputs,omitempty"`

	toks, uids, mids distinct
	files            []string                            // the inputs that held tokens, in order
	byFile           map[string]*[len(statusOrder)]int64 // their counts by status, in Statuses' order
}

func newSummary() *Summary {
	return &Summary{ByStatus: map[Status]int64{}, BySecret: map[string]int64{}, byFile: map[string]*[len(statusOrder)]int64{}}
}

// Files lists the inputs that held tokens, in the order they were read.
func (s *Summary) Files() []string { return s.files }

// FileCounts is how many tokens of each status the input named held, in the order of Statuses:
// a copy, the summary's own counts untouched.
func (s *Summary) FileCounts(name string) []int64 {
	c := make([]int64, len(statusOrder))
	if f := s.byFile[name]; f != nil {
		copy(c, f[:])
	}
	return c
}

// blockCounts are the counts of one block's results, made by a worker and added to the summary
// when the block is emitted. Distinct values are kept as hashes in slices: adding them to a set
// is left to the summary, where, past the exact limit, it is a cheap HyperLogLog update.
type blockCounts struct {
	tokens, unjudged, ambiguous int64
	// Counts by status, in Statuses' order, and by secret label: arrays and a short list, not
	// maps, as a few secrets open every token of a block (two map writes a token cost 2% of a
	// scan).
	byStatus         [len(statusOrder)]int64
	otherStatus      map[Status]int64 // none that Statuses lists: never, as scan sets them
	bySecret         []labelCount
	toks, uids, mids []uint64
}

type labelCount struct {
	label string
	n     int64
}

func statusIndex(s Status) int {
	for i := range statusOrder {
		if statusOrder[i] == s {
			return i
		}
	}
	return -1
}

func (c *blockCounts) add(r *Result) {
	c.tokens++
	c.toks = append(c.toks, r.hash)
	if r.JudgedBy == JudgedByNone {
		c.unjudged++
		if r.NotJudged != "" {
			c.ambiguous++
		}
	}
	if i := statusIndex(r.Status); i >= 0 {
		c.byStatus[i]++
	} else {
		if c.otherStatus == nil {
			c.otherStatus = map[Status]int64{}
		}
		c.otherStatus[r.Status]++
	}
	if r.SecretLabel != "" {
		c.addSecret(r.SecretLabel)
	}
	if r.hasUID {
		c.uids = append(c.uids, r.uidSum)
	}
	if r.hasMID {
		c.mids = append(c.mids, r.midSum)
	}
}

func (c *blockCounts) addSecret(label string) {
	for i := range c.bySecret {
		if c.bySecret[i].label == label {
			c.bySecret[i].n++
			return
		}
	}
	c.bySecret = append(c.bySecret, labelCount{label, 1})
}

func (c *blockCounts) reset() {
	c.tokens, c.unjudged, c.ambiguous = 0, 0, 0
	c.byStatus = [len(statusOrder)]int64{}
	clear(c.otherStatus)
	c.bySecret = c.bySecret[:0]
	c.toks, c.uids, c.mids = c.toks[:0], c.uids[:0], c.mids[:0]
}

// addBlock adds a block's counts to s.
func (s *Summary) addBlock(c *blockCounts, file string) {
	if c.tokens > 0 {
		f := s.byFile[file]
		if f == nil {
			f = new([len(statusOrder)]int64)
			s.byFile[file] = f
			s.files = append(s.files, file)
		}
		for i, v := range c.byStatus {
			f[i] += v
		}
	}
	s.Tokens += c.tokens
	s.Unjudged += c.unjudged
	s.ZoneAmbiguous += c.ambiguous
	for i, v := range c.byStatus {
		if v != 0 {
			s.ByStatus[statusOrder[i]] += v
		}
	}
	for k, v := range c.otherStatus {
		s.ByStatus[k] += v
	}
	for _, lc := range c.bySecret {
		s.BySecret[lc.label] += lc.n
	}
	for _, h := range c.toks {
		s.toks.addSum(h)
	}
	for _, h := range c.uids {
		s.uids.addSum(h)
	}
	for _, h := range c.mids {
		s.mids.addSum(h)
	}
}

// finish fills in the distinct counts.
func (s *Summary) finish() {
	var e1, e2, e3 bool
	s.Distinct, e1 = s.toks.count()
	s.Distinct = int(min(int64(s.Distinct), s.Tokens)) // an estimate never exceeds what was counted
	s.UIDs, e2 = s.uids.count()
	s.Meetings, e3 = s.mids.count()
	s.Estimated = e1 || e2 || e3
}

// Failed counts the tokens that did not open.
func (s *Summary) Failed() int64 {
	var n int64
	for st, c := range s.ByStatus {
		if st.Failed() {
			n += c
		}
	}
	return n
}

// blocks recycles blocks and their buffers once their results are emitted.
var blocks = sync.Pool{New: func() any { return &block{buf: make([]byte, 0, blockSize)} }}

func getBlock() *block { return blocks.Get().(*block) }

func putBlock(b *block) {
	clear(b.results) // drop the strings before the block is reused
	b.counts.reset()
	b.results, b.lines, b.data, b.sealed = b.results[:0], b.lines[:0], nil, b.sealed[:0]
	blocks.Put(b)
}

// search finds and opens the tokens of one block, noting each one's line within the block.
func (o *Opener) search(b *block) {
	o.lines, o.arena = lineCache{on: true}, &b.sealed
	defer func() { o.lines, o.arena = lineCache{}, nil }()
	b.newlines = findBlockIn(b.pre, b.data, &o.runs, func(c *Candidate, rel int64) {
		c.File = b.file
		if c.lineStart == 0 {
			c.head = b.head
		}
		var r *Result
		var quiet Result // an ok token's, when only its counts are kept (WithoutOKResults)
		if o.noOK {
			r = &quiet
		} else {
			b.results = append(b.results, Result{}) // filled in place: no copy of 250 bytes
			r = &b.results[len(b.results)-1]
		}
		var raw rawClaims
		if !o.check(r, &raw, c) {
			if !o.noOK {
				b.results = b.results[:len(b.results)-1]
			}
			return
		}
		sumClaims(r, &raw)
		if o.noOK {
			if r.Status == OK {
				b.counts.add(r)
				return
			}
			b.results = append(b.results, *r)
			r = &b.results[len(b.results)-1]
		}
		if !o.noClaims {
			r.Typ = typValue(raw.Typ, raw.TypPlain)
			o.strs.add(&raw)
		}
		b.lines = append(b.lines, rel)
	})
	o.strs.fill(b.results)
}

// Run scans the inputs in order with workers goroutines (0 means one per CPU) and calls emit for
// every token in input order (every one that is not ok, when the Opener is WithoutOKResults),
// then returns the summary. emit runs on the calling goroutine.
//
// The reader cuts the input into blocks that end where no token can continue; the workers find
// and open the tokens of whole blocks; the caller's goroutine puts the results back in order and
// numbers their lines. Memory is a few blocks per worker, whatever the input.
//
// When ctx ends (Ctrl+C), reading stops, and what was read is still scanned and emitted: the
// summary covers every line read. Run then returns ctx's error.
func Run(ctx context.Context, inputs []Input, opener *Opener, workers int, emit func(Result) error) (*Summary, error) {
	return RunFlushing(ctx, inputs, opener, workers, func(r *Result) error {
		r.Detach() // emit may keep it
		return emit(*r)
	}, nil)
}

// RunFlushing is Run calling flush, when set, after the results of each block are emitted: the
// caller's buffered output reaches its reader a moment after a live input's line did, and a
// file's results are out before a FIFO after it waits for a writer. emit is given each result in
// place (a Result is about 250 bytes), valid until it returns: a Result kept past it is copied
// and Detached.
func RunFlushing(ctx context.Context, inputs []Input, opener *Opener, workers int, emit func(*Result) error, flush func() error) (*Summary, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// abort is for an emit that failed: everything stops. ctx's end only stops the reading.
	abortCtx, abort := context.WithCancel(context.Background())
	defer abort()
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()

	jobs := make(chan *block, workers)
	done := make(chan *block, workers)
	readErr := make(chan error, 1)
	go func() {
		readErr <- produce(readCtx, abortCtx, inputs, jobs)
		close(jobs)
	}()
	// Each worker counts the results of its blocks, and a block's counts join the summary when
	// the block is emitted: the summary covers exactly what was emitted, while most of the
	// counting stays off the one goroutine that puts results in order.
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		o := opener.Clone()
		go func() {
			defer wg.Done()
			for b := range jobs {
				o.search(b)
				for i := range b.results {
					b.counts.add(&b.results[i])
				}
				select {
				case done <- b:
				case <-abortCtx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	sum := newSummary()
	err := reorder(done, sum, emit, flush)
	if err != nil {
		abort()
		stopReading()
		for range done { // let the workers finish
		}
		sum.finish()
		return sum, err
	}
	sum.finish()
	return sum, <-readErr
}

// produce cuts every input into numbered blocks, opening each when it is reached. An input that
// fails part way is reported and the next one is read: what came before the failure is scanned,
// and the error says so. When ctx ends, the input being read gives what was read, and no other
// is opened.
func produce(ctx, abort context.Context, inputs []Input, jobs chan<- *block) error {
	seq := 0
	var errs []error
	for _, in := range inputs {
		if ctx.Err() != nil {
			break
		}
		var opened *Opened
		if in.Open != nil {
			o, err := openWithin(ctx, in.Open)
			if err != nil {
				if ctx.Err() == nil {
					errs = append(errs, err)
				}
				continue
			}
			opened, in = o, o.Input
		}
		err := split(ctx, in, func(b *block) error {
			b.seq = seq
			seq++
			select {
			case jobs <- b:
				return nil
			case <-abort.Done():
				return abort.Err()
			}
		})
		if opened != nil {
			opened.Close()
		}
		switch {
		case err == nil:
		case abort.Err() != nil:
			return err
		case ctx.Err() != nil:
		case in.Fail != nil:
			errs = append(errs, in.Fail(err))
		default:
			errs = append(errs, fmt.Errorf("%s: %w", in.Name, err))
		}
	}
	if ctx.Err() != nil {
		errs = append(errs, ctx.Err())
	}
	return errors.Join(errs...)
}

// openWithin opens an input, giving up when ctx ends: opening a FIFO waits for a writer, and
// Open waits for an input's first bytes to know its format.
func openWithin(ctx context.Context, open func() (*Opened, error)) (*Opened, error) {
	type opening struct {
		o   *Opened
		err error
	}
	ch := make(chan opening, 1)
	go func() {
		o, err := open()
		ch <- opening{o, err}
	}()
	select {
	case r := <-ch:
		return r.o, r.err
	case <-ctx.Done():
		go func() { // close it if it opens after all
			if r := <-ch; r.o != nil {
				r.o.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

// reorder emits the results of blocks in sequence order, holding back those that arrive early,
// and turns each result's line within its block into its line in its file.
func reorder(done <-chan *block, sum *Summary, emit func(*Result) error, flush func() error) error {
	next := 0
	var line int64 = 1
	held := map[int]*block{}
	for b := range done {
		held[b.seq] = b
		for {
			hb, ok := held[next]
			if !ok {
				break
			}
			delete(held, next)
			next++
			if hb.firstInFile {
				line = 1
			}
			if hb.binary {
				sum.Binary = append(sum.Binary, hb.file)
			}
			for i := range hb.results {
				hb.results[i].Line = line + hb.lines[i]
				if err := emit(&hb.results[i]); err != nil {
					return err
				}
			}
			sum.addBlock(&hb.counts, hb.file)
			line += hb.newlines
			putBlock(hb)
			if flush != nil {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
