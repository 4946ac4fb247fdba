package scan

import (
	"context"
	"io"
	"runtime"
	"sync"
)

// Input is one stream to scan, with the name results carry.
type Input struct {
	Name string
	R    io.Reader
}

// Summary counts what a scan found.
type Summary struct {
	Tokens   int64            `json:"tokens"`
	ByStatus map[Status]int64 `json:"by_status"`
	BySecret map[string]int64 `json:"by_secret"`
	UIDs     int              `json:"distinct_uids"`
	Meetings int              `json:"distinct_meetings"`
	// Estimated is set when a distinct count passed the exact limit and is a HyperLogLog estimate.
	Estimated bool `json:"distinct_estimated,omitempty"`

	uids, mids distinct
}

func newSummary() *Summary {
	return &Summary{ByStatus: map[Status]int64{}, BySecret: map[string]int64{}}
}

func (s *Summary) add(r *Result) {
	s.Tokens++
	s.ByStatus[r.Status]++
	if r.SecretLabel != "" {
		s.BySecret[r.SecretLabel]++
	}
	if r.UID != "" {
		s.uids.add(r.UID)
	}
	if r.MID != "" {
		s.mids.add(r.MID)
	}
}

// merge adds the counts of t to s.
func (s *Summary) merge(t *Summary) {
	s.Tokens += t.Tokens
	for k, v := range t.ByStatus {
		s.ByStatus[k] += v
	}
	for k, v := range t.BySecret {
		s.BySecret[k] += v
	}
	s.uids.merge(&t.uids)
	s.mids.merge(&t.mids)
}

// finish fills in the distinct counts.
func (s *Summary) finish() {
	var e1, e2 bool
	s.UIDs, e1 = s.uids.count()
	s.Meetings, e2 = s.mids.count()
	s.Estimated = e1 || e2
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
	b.results, b.lines, b.data = b.results[:0], b.lines[:0], nil
	blocks.Put(b)
}

// search finds and opens the tokens of one block, noting each one's line within the block.
func (o *Opener) search(b *block) {
	b.newlines = findBlock(b.pre, b.data, func(c Candidate, rel int64) {
		c.File = b.file
		r, raw, ok := o.check(c)
		if !ok {
			return
		}
		r.Typ = typValue(raw.typ, raw.typPlain)
		o.strs.add(&raw)
		b.results = append(b.results, r)
		b.lines = append(b.lines, rel)
	})
	o.strs.fill(b.results)
}

// Run scans the inputs in order with workers goroutines (0 means one per CPU) and calls emit for
// every token in input order, then returns the summary. emit runs on the calling goroutine.
//
// The reader cuts the input into blocks that end where no token can continue; the workers find
// and open the tokens of whole blocks; the caller's goroutine puts the results back in order and
// numbers their lines. Memory is a few blocks per worker, whatever the input.
func Run(ctx context.Context, inputs []Input, opener *Opener, workers int, emit func(Result) error) (*Summary, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	jobs := make(chan *block, workers)
	done := make(chan *block, workers)
	var readErr error
	go func() {
		defer close(jobs)
		readErr = produce(ctx, inputs, jobs)
	}()
	// Each worker counts its own results: counting needs no order, so it stays off the one
	// goroutine that must put results back in order.
	partial := make([]*Summary, workers)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		o := opener.Clone()
		sum := newSummary()
		partial[i] = sum
		go func() {
			defer wg.Done()
			for b := range jobs {
				o.search(b)
				for i := range b.results {
					sum.add(&b.results[i])
				}
				select {
				case done <- b:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	err := reorder(done, func(r *Result) error { return emit(*r) })
	if err != nil {
		cancel()
		for range done { // let the workers finish
		}
	}
	sum := newSummary()
	for _, p := range partial { // every worker has exited: done is closed
		sum.merge(p)
	}
	sum.finish()
	if err != nil {
		return sum, err
	}
	return sum, readErr
}

// produce cuts every input into numbered blocks.
func produce(ctx context.Context, inputs []Input, jobs chan<- *block) error {
	seq := 0
	for _, in := range inputs {
		err := split(in.R, in.Name, func(b *block) error {
			b.seq = seq
			seq++
			select {
			case jobs <- b:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// reorder emits the results of blocks in sequence order, holding back those that arrive early,
// and turns each result's line within its block into its line in its file.
func reorder(done <-chan *block, emit func(*Result) error) error {
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
			for i := range hb.results {
				hb.results[i].Line = line + hb.lines[i]
				if err := emit(&hb.results[i]); err != nil {
					return err
				}
			}
			line += hb.newlines
			putBlock(hb)
		}
	}
	return nil
}
