package scan

import (
	"context"
	"io"
)

// liveReader reads a live input (a pipe, a terminal, a FIFO) from a goroutine of its own, so that
// a scan whose context ends stops waiting for input at once: a Read blocked on a pipe whose
// writer lives on (tail -f) cannot be interrupted otherwise. The goroutine reads into a buffer of
// its own and waits for each chunk to be taken before reading again; once the context ends it
// quits at its next read's return.
type liveReader struct {
	ctx    context.Context
	chunks chan chunk
	taken  chan struct{}
	quit   chan struct{}
	rest   []byte
	err    error
}

type chunk struct {
	b   []byte
	err error
}

// liveChunk is the most a liveReader reads at once: a pipe's capacity on Linux.
const liveChunk = 64 << 10

func newLiveReader(ctx context.Context, r io.Reader) *liveReader {
	l := &liveReader{ctx: ctx, chunks: make(chan chunk), taken: make(chan struct{}, 1), quit: make(chan struct{})}
	go l.loop(r)
	return l
}

func (l *liveReader) loop(r io.Reader) {
	buf := make([]byte, liveChunk)
	for {
		n, err := r.Read(buf)
		select {
		case l.chunks <- chunk{buf[:n], err}:
		case <-l.ctx.Done():
			return
		case <-l.quit:
			return
		}
		if err != nil {
			return
		}
		select {
		case <-l.taken:
		case <-l.ctx.Done():
			return
		case <-l.quit:
			return
		}
	}
}

// Read returns what the goroutine read, or the context's error as soon as it ends.
func (l *liveReader) Read(p []byte) (int, error) {
	for len(l.rest) == 0 {
		if l.err != nil {
			return 0, l.err
		}
		select {
		case c := <-l.chunks:
			l.rest, l.err = c.b, c.err
			if len(l.rest) == 0 && l.err == nil {
				l.taken <- struct{}{}
			}
		case <-l.ctx.Done():
			return 0, l.ctx.Err()
		}
	}
	n := copy(p, l.rest)
	l.rest = l.rest[n:]
	if len(l.rest) == 0 && l.err == nil {
		l.taken <- struct{}{}
	}
	return n, nil
}

// stop lets the goroutine end once its read returns.
func (l *liveReader) stop() { close(l.quit) }
