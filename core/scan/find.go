// Package scan finds app-context tokens in logs and tells, for each, whether it opens, with which
// secret, and why not. It streams: memory stays bounded whatever the input's size or line length.
package scan

import (
	"bytes"
	"errors"
	"io"
)

// Candidate is a run of base64 characters that may be a token. Its Text aliases the block it was
// found in: copy what is kept past the block's life.
type Candidate struct {
	File string
	Line int64
	Text []byte
	// Keyed is set when the run follows a key naming a context ("x-zoom-app-context:",
	// "appContext":", "context="); such a run is reported even when it does not parse, because the
	// log says it is a token. A bare run is reported only when its layout parses, which the
	// Opener checks (decoding belongs on the parallel workers).
	Keyed bool
	// Std is set when the run holds '+' or '/', the standard base64 alphabet.
	Std bool
}

// Limits of a candidate run, in characters. The smallest possible token (12-byte IV, nothing
// sealed) is 35 bytes, 47 characters; a bare run shorter than minBare is too likely to be something
// else. A run of maxRun characters or more is not an app context and is skipped, not buffered.
const (
	minKeyed = 8
	minBare  = 47
	maxRun   = blockSize
)

// lookBehind is how many bytes before a run are kept to recognise the key naming it.
const lookBehind = 64

// Character classes of a run: 0 ends a run.
const (
	classAlnum byte = 1 << iota
	classURL        // - _
	classStd        // + /
	classEq         // =
)

var classes = func() (t [256]byte) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") {
		t[c] = classAlnum
	}
	t['-'], t['_'] = classURL, classURL
	t['+'], t['/'] = classStd, classStd
	t['='] = classEq
	return t
}()

// Find reads r and calls emit for each candidate, in order, with its line number. It is the
// serial form of what Run does in parallel.
func Find(r io.Reader, file string, emit func(Candidate) error) error {
	line := int64(1)
	return split(r, file, func(b *block) error {
		var err error
		nl := findBlock(b.pre, b.data, func(c Candidate, rel int64) {
			if err == nil {
				c.File, c.Line = file, line+rel
				err = emit(c)
			}
		})
		line += nl
		putBlock(b)
		return err
	})
}

// findBlock finds the candidates in data, whose preceding bytes (for keys) are pre, and returns
// the number of newlines in data. The line given to emit is the count of newlines before the run.
// Its two inner loops, one skipping bytes that cannot be in a run and one consuming a run, work
// on locals only: this is where a scan spends its time.
func findBlock(pre, data []byte, emit func(Candidate, int64)) int64 {
	var line int64
	n := len(data)
	for i := 0; i < n; {
		for i < n && classes[data[i]] == 0 {
			if data[i] == '\n' {
				line++
			}
			i++
		}
		if i == n {
			break
		}
		j, cl := runEnd(data, i)
		if c, ok := candidate(pre, data, i, j, cl); ok {
			emit(c, line)
		}
		i = j
	}
	return line
}

// runEnd returns where the run starting at i ends and the union of its characters' classes. It
// looks at eight bytes a step: a class is 1, 2, 4 or 8, so c-1 has its top bit set only when c is 0
// (not a run character), and one test covers all eight.
func runEnd(data []byte, i int) (int, byte) {
	var cl byte
	for i+8 <= len(data) {
		c0, c1, c2, c3 := classes[data[i]], classes[data[i+1]], classes[data[i+2]], classes[data[i+3]]
		c4, c5, c6, c7 := classes[data[i+4]], classes[data[i+5]], classes[data[i+6]], classes[data[i+7]]
		if ((c0-1)|(c1-1)|(c2-1)|(c3-1)|(c4-1)|(c5-1)|(c6-1)|(c7-1))&0x80 != 0 {
			break
		}
		cl |= c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7
		i += 8
	}
	for i < len(data) {
		c := classes[data[i]]
		if c == 0 {
			break
		}
		cl |= c
		i++
	}
	return i, cl
}

// candidate judges the run data[i:j], whose character classes are cl.
func candidate(pre, data []byte, i, j int, cl byte) (Candidate, bool) {
	run := data[i:j]
	pad := trailingEq(run)
	keyStart, keyEnd := i, i // a key inside the run: "context=TOKEN"
	// "context=TOKEN" is one run, since '=' is a base64 character: a '=' followed by more of the
	// run cannot be padding, so what precedes it is a key.
	if cl&classEq != 0 {
		if k := bytes.LastIndexByte(run[:len(run)-pad], '='); k >= 0 {
			keyEnd = i + k + 1
			run = run[k+1:]
		}
	}
	n := len(run) - pad
	if pad > 2 || n < minKeyed || n >= maxRun {
		return Candidate{}, false
	}
	c := Candidate{Text: run, Std: cl&classStd != 0, Keyed: keyBefore(pre, data, keyStart, keyEnd)}
	if !c.Keyed && n < minBare {
		return Candidate{}, false
	}
	return c, true
}

func trailingEq(b []byte) int {
	n := 0
	for n < len(b) && b[len(b)-1-n] == '=' {
		n++
	}
	return n
}

// keyBefore reports whether the text before a run names an app context: after trailing quotes,
// spaces and one ':' or '=', it must end in "context" (x-zoom-app-context, appContext, app_context,
// context), in any case. The text is data[:runStart] (preceded by pre) and, for "context=TOKEN",
// data[runStart:keyEnd].
func keyBefore(pre, data []byte, runStart, keyEnd int) bool {
	var buf [2 * lookBehind]byte
	b := buf[:0]
	from := max(0, runStart-lookBehind)
	if from == 0 {
		b = append(b, pre[max(0, len(pre)-(lookBehind-runStart)):]...)
	}
	b = append(b, data[from:runStart]...)
	b = append(b, data[runStart:min(keyEnd, runStart+lookBehind)]...)
	b = trimQuotes(b)
	if len(b) == 0 || (b[len(b)-1] != ':' && b[len(b)-1] != '=') {
		return false
	}
	b = trimQuotes(b[:len(b)-1])
	const key = "context"
	return len(b) >= len(key) && bytes.EqualFold(b[len(b)-len(key):], []byte(key))
}

// trimQuotes removes trailing quotes, spaces and tabs.
func trimQuotes(b []byte) []byte {
	for len(b) > 0 {
		switch b[len(b)-1] {
		case '"', '\'', ' ', '\t':
			b = b[:len(b)-1]
		default:
			return b
		}
	}
	return b
}

// blockSize is how much input one block holds: large enough that the hand-offs between goroutines
// cost nothing (a block holds several hundred tokens), small enough that the few blocks in flight
// keep the process small. 1 MiB blocks measured slower: their memory cost page faults.
const blockSize = 256 << 10

// block is a piece of one input that ends where no run can continue, so it can be searched on its
// own. pre holds the bytes before it, for the keys of its first runs.
type block struct {
	seq         int
	file        string
	firstInFile bool
	pre         []byte
	data        []byte
	newlines    int64
	results     []Result
	lines       []int64 // per result, newlines before it in the block
	buf         []byte  // the memory data lives in
}

// split cuts r into blocks at the last byte of each that cannot be part of a run, and calls fn
// with each. A stretch of run characters longer than a block is longer than any token: it is
// dropped, and memory stays bounded by the block size whatever the input.
func split(r io.Reader, file string, fn func(*block) error) error {
	var carry []byte // the run in progress at the end of the previous block
	var pre []byte
	skipping := false // inside a run too long to be a token
	first := true
	for {
		b := getBlock()
		b.buf = append(b.buf[:0], carry...)
		n, err := io.ReadFull(r, b.buf[len(b.buf):blockSize])
		b.buf = b.buf[:len(b.buf)+n]
		eof := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !eof {
			return err
		}
		data := b.buf
		if skipping {
			k := 0
			for k < len(data) && classes[data[k]] != 0 {
				k++
			}
			data, skipping = data[k:], k == len(data)
			pre = pre[:0] // what preceded the dropped run says nothing about the next one
		}
		cut := len(data)
		if !eof {
			cut = lastBoundary(data)
			if cut < 0 { // no byte here can end a run: one run fills the block
				carry, skipping = carry[:0], true
				putBlock(b)
				continue
			}
			cut++
		}
		carry = append(carry[:0], data[cut:]...)
		b.file, b.firstInFile, b.data = file, first, data[:cut]
		b.pre = append(b.pre[:0], pre...)
		first = false
		pre = append(pre[:0], b.data[max(0, len(b.data)-lookBehind):]...)
		if len(b.data) > 0 || b.firstInFile {
			if ferr := fn(b); ferr != nil {
				return ferr
			}
		} else {
			putBlock(b)
		}
		if eof {
			return nil
		}
	}
}

// lastBoundary returns the index of the last byte of data that cannot be in a run, or -1.
func lastBoundary(data []byte) int {
	for i := len(data) - 1; i >= 0; i-- {
		if classes[data[i]] == 0 {
			return i
		}
	}
	return -1
}
