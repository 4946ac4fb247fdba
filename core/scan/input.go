package scan

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/klauspost/compress/zstd"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Formats Open recognises by their first bytes, whatever the file is called.
var (
	magicGzip  = []byte{0x1f, 0x8b}
	magicBzip2 = []byte("BZh")
	magicZstd  = []byte{0x28, 0xb5, 0x2f, 0xfd}
	bomUTF16LE = []byte{0xff, 0xfe}
	bomUTF16BE = []byte{0xfe, 0xff}
	bomUTF8    = []byte{0xef, 0xbb, 0xbf}
)

// InputError is a file that could not be opened or read to its end.
type InputError struct {
	Name string
	Err  error
	// Read is how much of the file was read and Out how much it gave after decompression,
	// when the failure came part way through.
	Read, Out int64
	Partial   bool
}

func (e *InputError) Error() string {
	if e.Partial {
		return fmt.Sprintf("%s: %v after %d bytes of the file (%d bytes of text): the tokens before that point are counted, the rest of the file is not",
			e.Name, e.Err, e.Read, e.Out)
	}
	return fmt.Sprintf("%s: %v", e.Name, e.Err)
}

func (e *InputError) Unwrap() error { return e.Err }

// Opened is an input ready to scan and what it was.
type Opened struct {
	Input
	Format string // "gzip", "bzip2", "zstd", "UTF-16LE" ...; "" for plain text
	Size   int64  // the file's size, 0 for standard input

	read, out *atomic.Int64 // this file's own bytes read, and bytes of text
	closers   []io.Closer
}

// Close releases the file and any decompressor.
func (o *Opened) Close() error {
	var err error
	for i := len(o.closers) - 1; i >= 0; i-- {
		err = errors.Join(err, o.closers[i].Close())
	}
	return err
}

// Fail turns a read error into an InputError saying how far the input got.
func (o *Opened) Fail(err error) *InputError {
	return &InputError{Name: o.Name, Err: err, Read: o.read.Load(), Out: o.out.Load(), Partial: true}
}

// Open opens a file to scan ("-" is stdin), recognising gzip, bzip2 and zstd by their magic bytes
// and UTF-16 by its byte-order mark (as Windows PowerShell writes logs), which it decodes to
// UTF-8. read counts the bytes read from the file itself, for a progress bar.
//
// The offsets an InputError gives are the file's own; progress, when not nil, counts the bytes
// read from every file opened with it.
func Open(name string, stdin io.Reader, progress *atomic.Int64) (*Opened, error) {
	o := &Opened{read: new(atomic.Int64), out: new(atomic.Int64)}
	var r io.Reader = stdin
	if name == "-" {
		o.Live = IsLive(stdin)
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, &InputError{Name: name, Err: unwrapPathError(err)}
		}
		fi, err := f.Stat()
		switch {
		case err != nil:
			f.Close()
			return nil, &InputError{Name: name, Err: err}
		case fi.IsDir():
			f.Close()
			return nil, &InputError{Name: name, Err: errors.New("is a directory")}
		}
		o.Size, r, o.Live = fi.Size(), f, !fi.Mode().IsRegular()
		o.closers = append(o.closers, f)
	}
	r = countReader{r, o.read, progress}
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(4)
	if err != nil && !errors.Is(err, io.EOF) {
		o.Close()
		return nil, &InputError{Name: name, Err: err}
	}
	r = br
	switch {
	case bytes.HasPrefix(head, magicGzip):
		zr, err := gzip.NewReader(br)
		if err != nil {
			o.Close()
			return nil, &InputError{Name: name, Err: fmt.Errorf("not a readable gzip file: %w", err)}
		}
		o.Format, r = "gzip", zr
	case bytes.HasPrefix(head, magicBzip2):
		o.Format, r = "bzip2", bzip2.NewReader(br)
	case bytes.HasPrefix(head, magicZstd):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			o.Close()
			return nil, &InputError{Name: name, Err: fmt.Errorf("not a readable zstd file: %w", err)}
		}
		o.closers = append(o.closers, closer(zr.Close))
		o.Format, r = "zstd", zr
	}
	if o.Format != "" { // a compressed UTF-16 log: look again after decompressing
		zb := bufio.NewReaderSize(truncated{r}, 64<<10)
		head, _ = zb.Peek(3)
		r = zb
	}
	switch {
	case bytes.HasPrefix(head, bomUTF16LE), bytes.HasPrefix(head, bomUTF16BE):
		enc := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
		o.Format = join(o.Format, "UTF-16")
		r = transform.NewReader(r, enc.NewDecoder())
	case bytes.HasPrefix(head, bomUTF8):
		r = transform.NewReader(r, unicode.UTF8BOM.NewDecoder())
	}
	o.Input = Input{Name: name, R: countReader{r, o.out, nil}, Fail: func(err error) error { return o.Fail(err) }, Live: o.Live}
	return o, nil
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + ", " + b
}

// unwrapPathError drops the operation and path, which the InputError names already.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// errTruncated is a compressed stream that ends before its end marker. Decompressors report it
// as io.ErrUnexpectedEOF, which io.ReadFull also returns for a short last read: renamed, it cannot
// pass for the end of the input.
var errTruncated = errors.New("the compressed data ends early (the file is truncated or still being written)")

type truncated struct{ r io.Reader }

func (t truncated) Read(b []byte) (int, error) {
	n, err := t.r.Read(b)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = errTruncated
	}
	return n, err
}

type closer func()

func (c closer) Close() error { c(); return nil }

// countReader counts what is read in n and, when not nil, in also.
type countReader struct {
	r       io.Reader
	n, also *atomic.Int64
}

func (c countReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n.Add(int64(n))
	if c.also != nil {
		c.also.Add(int64(n))
	}
	return n, err
}

// IsLive reports whether r is a pipe, a terminal, a FIFO or a socket: an input whose lines arrive
// over time, read as they arrive. A regular file, or a reader that is not a file, is not.
func IsLive(r io.Reader) bool {
	f, ok := r.(interface{ Stat() (os.FileInfo, error) })
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && !fi.Mode().IsRegular() && !fi.IsDir()
}

// NameIsLive is IsLive for a name Open would open ("-" is stdin), without opening it: a FIFO
// is known by its mode.
func NameIsLive(name string, stdin io.Reader) bool {
	if name == "-" {
		return IsLive(stdin)
	}
	fi, err := os.Stat(name)
	return err == nil && !fi.Mode().IsRegular() && !fi.IsDir()
}
