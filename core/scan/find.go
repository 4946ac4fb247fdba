// Package scan finds app-context tokens in logs and tells, for each, whether it opens, with which
// secret, and why not. It streams: memory stays bounded whatever the input's size or line length.
package scan

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math/bits"
	"strings"
)

// Candidate is a run of base64 characters that may be a token. Its Text aliases the block it was
// found in (or, when something wrapping it was decoded, a buffer of its own): copy what is kept
// past the block's life.
type Candidate struct {
	File string
	Line int64
	Text []byte // the token's text, with what wrapped it in the log decoded
	// Keyed is set when the run follows a key naming an app context ("x-zoom-app-context:",
	// "appContext":", "context=", a HAR entry whose name is one); such a run is reported even when
	// it does not parse, because the log says it is a token, provided it could be one (see
	// plausible). A bare run is reported only when its layout parses, which the Opener checks
	// (decoding belongs on the parallel workers).
	Keyed bool
	// Key is the name that named a keyed run, as the log wrote it.
	Key []byte
	// Unwrapped says what was decoded to get Text: "percent-decoded", "JSON escapes removed",
	// "'+' restored where a URL decoder made spaces". Empty for a run taken as it stood.
	Unwrapped []string
	// Std is set when the run holds '+' or '/', the standard base64 alphabet.
	Std bool

	// The block the run was found in and where its line starts and the run ends, for the time the
	// line carries: the line's end is found only for a token that opens.
	block              []byte
	lineStart, runStop int
	head               []byte // the start of a line that began in an earlier block
	// dec is Text decoded by the finder as it read it, when it could (see runDecoder); it is
	// what decodeRun(Text) gives, and aliases the finder's buffer until the next candidate.
	dec []byte
}

// line returns the line the candidate is on.
func (c *Candidate) line() []byte {
	if c.block == nil {
		return nil
	}
	end := len(c.block)
	if k := bytes.IndexByte(c.block[c.runStop:], '\n'); k >= 0 {
		end = c.runStop + k
	}
	if k := bytes.IndexByte(c.block[c.runStop:end], '\r'); k >= 0 {
		end = c.runStop + k
	}
	return c.block[c.lineStart:end]
}

// Limits of a candidate run, in characters. The smallest possible token (12-byte IV, nothing
// sealed) is 35 bytes, 47 characters; a bare run shorter than minBare is too likely to be something
// else. A run of maxRun characters or more is not an app context and is skipped, not buffered.
const (
	minKeyed = 8
	minBare  = 47
	maxRun   = blockSize
)

// lookBehind is how many bytes before a run are kept to recognise the key naming it: enough for a
// HAR entry, whose "name" is on the line before its "value".
const lookBehind = 160

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
	return split(context.Background(), Input{Name: file, R: r}, func(b *block) error {
		var err error
		nl := findBlock(b.pre, b.data, nil, func(c Candidate, rel int64) {
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
// the number of line breaks in data (LF, CRLF or a lone CR). The line given to emit is the count of
// line breaks before the run.
//
// Most of a log line is words that are no token. A run shorter than minBare is a candidate only
// when a key names it, and every name keyBefore accepts holds an 'x' between an 'e' and a 't' (see
// isTrigger) no more than lookBehind bytes before the run. So where no such trigger is near, the
// block is read 32 bytes a step (finder.pass) for a trigger and for a stretch that may hold a
// run of minBare characters; where pass stops, it is probed every probeStride bytes (fewer
// than minBare, so that every longer run is met), each run met is judged (finder.step) and the
// stretches between are passed without looking at their words; near a trigger every run is
// judged one after the other. Line breaks are counted with bytes.Count, up to a run that gets far
// enough in step to need its line. TestFindBlockShortcuts holds the result to the plain reading
// of every run.
//
// With a runDecoder, a long run is decoded as it is read, and a candidate whose text is that run's
// value as it stood carries the decoding (see runDecoder): valid until emit returns.
func findBlock(pre, data []byte, d *runDecoder, emit func(Candidate, int64)) int64 {
	return findBlockIn(pre, data, d, func(c *Candidate, rel int64) { emit(*c, rel) })
}

// findBlockIn is findBlock handing each candidate over in place (it is about 150 bytes, copied
// twice a token when given by value), valid until emit returns.
func findBlockIn(pre, data []byte, d *runDecoder, emit func(*Candidate, int64)) int64 {
	var trigs [8]int
	f := finder{pre: pre, data: data, d: d, emit: emit, trigs: trigs[:0]}
	if hasX(pre) {
		f.trigs = append(f.trigs, -1) // keyBefore reads pre for runs starting before lookBehind
	}
	n := len(data)
	for i := 0; i < n; {
		if classes[data[i]] != 0 {
			i = f.judge(i)
			continue
		}
		if data[i] == '\n' && i+1 < n && classes[data[i+1]] != 0 {
			i++ // a line that starts with a run, as a token a line does
			continue
		}
		if len(f.trigs) == 0 && i >= f.fastFrom {
			// No trigger is near: words are passed 32 bytes a step until one is, or until a run
			// may be long enough to be a token (see pass).
			if k := f.pass(i); k > i || len(f.trigs) > 0 || f.fastFrom > i {
				i = k
				continue
			}
		}
		b := min(i+probeStride, n)
		if f.nearTrigger(i, b) {
			i = f.skip(i) // a name may be near: every run is judged
			continue
		}
		// No key can name a run that starts in [i, b): those shorter than probeStride are no
		// candidates. The run holding b, if any, is met there, from its start; when it ends
		// within eight bytes of b, it started at i or after (i is never inside a run), so it is
		// shorter than minBare, and with no trigger before its end it is no candidate either:
		// it is passed without judging, and without looking for its start, provided triggers
		// were looked for up to its end (e <= f.scanned). The finder before pass missed keys so:
		// a probe landed exactly where the look ahead had stopped, on a run holding a key's 'x'
		// just after (TestFindBlockTriggerPastLookAhead). pass now reads those words first, so
		// no test reaches the guard; it keeps the rule should the probes' path change.
		if b < n && classes[data[b]] != 0 {
			if b+8 <= n {
				alnum, url, std, pad := runLanes(binary.LittleEndian.Uint64(data[b:]))
				if run := alnum | url | std | pad; run != hi { // the run ends in this word
					e := b + bits.TrailingZeros64(^run&hi)>>3
					if e-i < minBare && e <= f.scanned && (len(f.trigs) == 0 || f.trigs[0] >= e) {
						i = e
						continue
					}
				}
			}
			for b > i && classes[data[b-1]] != 0 {
				b--
			}
		}
		i = b
	}
	f.count(n)
	return f.line
}

// judge judges the run starting at i and notes the triggers that may name a run after it.
func (f *finder) judge(i int) int {
	j := f.step(i)
	switch {
	case j == f.lastRun && j-i >= lookBehind:
		// A long run of run characters alone (a token): a name in it that can name a later run
		// ends the run, "...x[-_]*" or "...x[-_]*t[-_]*", with '=' after it as a separator may
		// be (isTrigger); no other byte of it is searched.
		k := j - 1
		for k > i && (f.data[k] == '-' || f.data[k] == '_' || f.data[k] == '=') {
			k--
		}
		if k > i && f.data[k]|0x20 == 't' {
			for k--; k > i && (f.data[k] == '-' || f.data[k] == '_'); k-- {
			}
		}
		tail := -1
		if f.data[k]|0x20 == 'x' && isTrigger(f.data, k) {
			tail = k
		}
		f.keepTriggersOutside(i, j, tail)
		f.scanned = max(f.scanned, j)
	}
	return j
}

// keepTriggersOutside forgets the triggers a look ahead found in data[i:j], a long run, and keeps
// tail, the one ending it (-1 for none), in order.
func (f *finder) keepTriggersOutside(i, j, tail int) {
	var buf [8]int
	keep := buf[:0]
	for _, t := range f.trigs {
		if t < i {
			keep = append(keep, t)
		}
	}
	if tail >= 0 {
		keep = append(keep, tail)
	}
	for _, t := range f.trigs {
		if t >= j {
			keep = append(keep, t)
		}
	}
	f.trigs = append(f.trigs[:0], keep...)
}

// pass reads on from i (not inside a run, with no trigger near) 32 bytes a step, looking in
// each word for an 'x' that is a trigger (as scanTriggers does) and for where a long run may be,
// and returns where findBlock's probes go on: at the start of the run that holds the first
// trigger found (f.trigs is then not empty), at or before a stretch that may hold a run of
// minBare characters or more (f.fastFrom is then past it, so that the probes judge it), or near
// the block's end. A run of minBare characters covers five whole words, and every run character
// is a wide one (wideRun: the bytes from '+' to 'z'; only a space, a quote, a bracket or a control
// byte is not), so five words of wide characters in a row are such a stretch. Most of a log
// line's words are passed so, at a few operations a byte, where the probes and the trigger look-
// ahead cost about three times that. TestFindBlockShortcuts, TestFindBlockWideStretches and
// FuzzFindBlockShortcuts hold the result to the plain reading of every run.
//
// The words from f.scanned on are looked at for triggers (a short run judged before i may hold
// one that names a run after i); runs are looked for from i on.
func (f *finder) pass(i int) int {
	data := f.data
	p := min(f.scanned, i)
	streak := uint(0) // how many words in a row, up to w, are wide run characters only
	w := data[p:]
	for len(w) >= 8 {
		if len(w) >= 32 {
			// Four words a step while no five in a row are wide (most of a log line); else they
			// are read again one at a time, below. A word with an 'x' or 'X' in it (one or two
			// a line) is looked at for a trigger where it is.
			x0, x1 := binary.LittleEndian.Uint64(w), binary.LittleEndian.Uint64(w[8:])
			x2, x3 := binary.LittleEndian.Uint64(w[16:]), binary.LittleEndian.Uint64(w[24:])
			s0 := (streak + 1) & -uint(b2u(wideRun(x0) == hi))
			s1 := (s0 + 1) & -uint(b2u(wideRun(x1) == hi))
			s2 := (s1 + 1) & -uint(b2u(wideRun(x2) == hi))
			s3 := (s2 + 1) & -uint(b2u(wideRun(x3) == hi))
			if max(s0, s1, s2, s3) < 5 {
				v0, v1, v2, v3 := (x0|0x20*one)^'x'*one, (x1|0x20*one)^'x'*one, (x2|0x20*one)^'x'*one, (x3|0x20*one)^'x'*one
				z0, z1, z2, z3 := (v0-one)&^v0&hi, (v1-one)&^v1&hi, (v2-one)&^v2&hi, (v3-one)&^v3&hi
				if z0|z1|z2|z3 != 0 {
					p := len(data) - len(w)
					if z0 != 0 {
						f.triggersIn(p, v0)
					}
					if z1 != 0 {
						f.triggersIn(p+8, v1)
					}
					if z2 != 0 {
						f.triggersIn(p+16, v2)
					}
					if z3 != 0 {
						f.triggersIn(p+24, v3)
					}
					if len(f.trigs) > 0 { // none were kept when pass began
						// The probes go on from the run holding the first trigger: a run
						// before it is named by none, and is shorter than minBare.
						f.scanned = max(f.scanned, p+32)
						return runStartBefore(data, i, f.trigs[0])
					}
				}
				streak = s3
				w = w[32:]
				continue
			}
		}
		for range 4 {
			if len(w) < 8 {
				break
			}
			x := binary.LittleEndian.Uint64(w)
			if v := (x | 0x20*one) ^ 'x'*one; (v-one)&^v&hi != 0 { // an 'x' or 'X': rare
				p := len(data) - len(w)
				if f.triggersIn(p, v); len(f.trigs) > 0 { // none were kept when pass began
					// The probes go on from the run holding the first trigger: a run before it
					// is named by none, and is shorter than minBare (else the streak would have
					// stopped here before).
					f.scanned = max(f.scanned, p+8)
					return runStartBefore(data, i, f.trigs[0])
				}
			}
			streak = (streak + 1) & -uint(b2u(wideRun(x) == hi))
			if streak >= 5 { // a run of minBare characters holds five whole words: it may be here
				return f.passedTo(data, i, len(data)-len(w)+8, streak)
			}
			w = w[8:]
		}
	}
	p = len(data) - len(w)
	f.scanned = max(f.scanned, p)
	f.fastFrom = len(data) // the last few bytes are the probes'
	return runStartBefore(data, i, p-8*int(streak))
}

// triggersIn adds to f.trigs the triggers in the word at p, whose bytes are 0 in v where the word
// has an 'x' or 'X' (v is the word with 0x20 set in each byte, xor 'x').
func (f *finder) triggersIn(p int, v uint64) {
	for m := ^((v&lo7 + lo7) | v) & hi; m != 0; m &= m - 1 { // eqWord's exact test
		if t := p + bits.TrailingZeros64(m)>>3; isTrigger(f.data, t) {
			f.trigs = append(f.trigs, t)
		}
	}
}

// passedTo is where pass stops at a stretch of streak words of wide run characters ending at end:
// the probes take it from the start of the run holding its first byte, and pass is not used
// again before end.
func (f *finder) passedTo(data []byte, i, end int, streak uint) int {
	f.scanned = max(f.scanned, end)
	f.fastFrom = end
	return runStartBefore(data, i, end-8*int(streak))
}

// b2u is 1 for true; the compiler makes it a flag, not a branch.
func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// runStartBefore returns where the run holding k starts (k itself when it holds none), or i if
// that is earlier: the word before k holds a byte that is no run character, or is before i.
func runStartBefore(data []byte, i, k int) int {
	for k > i && classes[data[k-1]] != 0 {
		k--
	}
	return max(k, i)
}

// wideRun has, for each byte of x, the top bit set when the byte is from '+' to 'z': every run
// character is, and so are ',', '.', ':', ';', '<', '>', '?', '@', '[', '\\', ']', '^' and '`'.
// As in runLanes, bytes of 0x80 and above are left out first, so that no carry crosses bytes.
func wideRun(x uint64) uint64 {
	y := x & lo7
	return (y + (0x80-'+')*one) &^ (y + (0x80-'z'-1)*one) &^ x & hi
}

// nearTrigger reports whether a trigger lies in [i-lookBehind, b): a key may name a run that
// starts in [i, b). Triggers are looked for ahead, lookAhead bytes at a time, and forgotten
// once lookBehind bytes behind.
func (f *finder) nearTrigger(i, b int) bool {
	if f.scanned >= b && len(f.trigs) == 0 {
		return false // most probes of a line: inlined, with no call
	}
	return f.nearTriggerLooking(i, b)
}

// nearTriggerLooking is nearTrigger when triggers must be looked for or forgotten.
func (f *finder) nearTriggerLooking(i, b int) bool {
	f.forget(i)
	if len(f.trigs) > 0 && f.trigs[0] < b {
		// A trigger known is near: every run up to b is judged, whatever lies ahead. Looking
		// further now would read into the token a key names ("context=TOKEN"), which judge then
		// passes whole.
		return true
	}
	if f.scanned < b {
		f.scanTriggers(min((b+lookAhead)&^7, len(f.data)))
		f.forget(i)
	}
	return len(f.trigs) > 0 && f.trigs[0] < b
}

// forget drops the triggers more than lookBehind bytes before i: they name no run from i on.
func (f *finder) forget(i int) {
	k := 0
	for k < len(f.trigs) && f.trigs[k] < i-lookBehind {
		k++
	}
	if k > 0 {
		f.trigs = append(f.trigs[:0], f.trigs[k:]...)
	}
}

// lookAhead is how far past a stretch triggers are looked for at once: farther reads more of
// the token a line holds (judged whole, its inside never searched); nearer calls more often.
const lookAhead = 64

// scanTriggers adds to trigs the triggers in data[scanned:to]. Eight bytes a step, an 'x' or 'X'
// is looked for (one test: the byte with 0x20 set is 'x'); in the few words that hold one, each is
// marked exactly (no borrow from a neighbour) and checked, without leaving the word loop for a
// byte loop.
func (f *finder) scanTriggers(to int) {
	data := f.data
	k := f.scanned
	to = min(k+(to-k+7)&^7, len(data)) // whole words from k: the byte loop below runs at the block's end only
	w := data[k:to]
	for ; len(w) >= 8; w = w[8:] {
		v := (binary.LittleEndian.Uint64(w) | 0x20*one) ^ 'x'*one
		if (v-one)&^v&hi == 0 { // no byte of v is 0: most words
			continue
		}
		f.triggersIn(to-len(w), v)
	}
	for k = to - len(w); k < to; k++ {
		if data[k]|0x20 == 'x' && isTrigger(data, k) {
			f.trigs = append(f.trigs, k)
		}
	}
	f.scanned = max(f.scanned, to)
}

// isTrigger reports whether the 'x' or 'X' at k may be the x of a name keyBefore accepts: one
// that ends in "ext" (contextName, for "context", "x-zoom-app-context" and a HAR entry's name)
// once '-', '_' and '.' are passed and curl's trace wraps ("\n0040: ") undone. So the byte before
// it is an 'e', one of those, or the space of a trace offset (or it is the block's first), and
// after any '-', '_' or '.' comes a 't', a line break or the block's end.
func isTrigger(data []byte, k int) bool {
	if k > 0 && !beforeX[data[k-1]] {
		return false
	}
	for k++; k < len(data) && (data[k] == '-' || data[k] == '_' || data[k] == '.'); k++ {
	}
	return k == len(data) || data[k]|0x20 == 't' || data[k] == '\n' || data[k] == '\r'
}

var beforeX = func() (t [256]bool) {
	for _, c := range []byte("eE-_. ") {
		t[c] = true
	}
	return t
}()

// probeStride is how far apart probe looks in a run: less than minBare, so a run of minBare
// characters holds a probed byte.
const probeStride = 24

// finder is the state of findBlock: the block, and the line breaks counted up to counted.
type finder struct {
	pre, data []byte
	d         *runDecoder
	emit      func(*Candidate, int64)
	cand      Candidate // the candidate being made and handed to emit, in the finder's memory
	line      int64     // line breaks before counted
	lineStart int       // where the line holding counted starts
	counted   int
	// The triggers (isTrigger) in data[:scanned] were looked for; trigs holds, in order, those
	// that may still name a run.
	scanned int
	trigs   []int
	lastRun int // where the run step read last ends
	// pass is not used before fastFrom: the probes judge the stretch before it, which may hold
	// a long run.
	fastFrom int
}

// count counts the line breaks in data[f.counted:to]; a CR is one unless a LF follows it.
func (f *finder) count(to int) {
	seg := f.data[f.counted:to]
	if bytes.IndexByte(seg, '\r') < 0 {
		switch c := bytes.Count(seg, []byte{'\n'}); c {
		case 0:
		case 1: // IndexByte is vectorised, LastIndexByte a byte loop
			f.line++
			f.lineStart = f.counted + bytes.IndexByte(seg, '\n') + 1
		default:
			f.line += int64(c)
			f.lineStart = f.counted + bytes.LastIndexByte(seg, '\n') + 1
		}
	} else {
		data, n := f.data, len(f.data)
		for k := f.counted; k < to; k++ {
			if c := data[k]; c == '\n' || c == '\r' && (k+1 == n || data[k+1] != '\n') {
				f.line++
				f.lineStart = k + 1
			}
		}
	}
	f.counted = to
}

// skip passes the bytes from i that cannot be in a run and returns where the next run starts (or
// the block's end). Their line breaks are counted when a run after them needs its line (step).
func (f *finder) skip(i int) int {
	for i < len(f.data) && classes[f.data[i]] == 0 {
		i++
	}
	return i
}

// step judges the run that starts at i (data[i] is a run character, and the line breaks before
// i are counted) and returns where the next look starts.
func (f *finder) step(i int) int {
	pre, data, d, n := f.pre, f.data, f.d, len(f.data)
	if i > 0 && data[i-1] == '\\' {
		if i = pastEscape(data, i); i == n || classes[data[i]] == 0 {
			return i
		}
	} else if i > 0 && (data[i-1] == '[' || data[i-1] == ';') {
		if i = pastSGR(data, i); i == n || classes[data[i]] == 0 {
			return i
		}
	}
	// A short run (most words of a log line) is read here a byte at a time, with no call:
	// its end and classes are what runDecoder.end and runEnd give it. A run of eight or more
	// is theirs.
	j, cl := i, byte(0)
	for j < n && j-i < 8 {
		c := classes[data[j]]
		if c == 0 {
			break
		}
		cl |= c
		j++
	}
	var fr fusedRun
	if j-i == 8 {
		if d != nil {
			fr = d.end(data, i)
		} else {
			fr.end, fr.cl = runEnd(data, i)
		}
		j, cl = fr.end, fr.cl
	}
	f.lastRun = j
	if j-i < minKeyed && (j+1 >= n || !mayGoOn[data[j]]) {
		// Shorter than any named value, and ending where no value goes on (goesOn's first
		// test): candidate would turn it down.
		return j
	}
	if j-i < minBare && cl&classEq == 0 {
		// A run too short to be a bare token counts only as a named value: most words of a
		// log line are dismissed here, with no separator before them (and no '=' inside
		// them, as "context=TOKEN" has). The byte before the run decides most at once.
		if i > 0 && !mayPrecedeSep[data[i-1]] {
			return j
		}
		// Without a separator near (separatorIn's quick look, then the escapes undone), keyBefore
		// finds no key and candidate turns the run down, as it has no '=' and is short.
		if !separatorNear(pre, data, beforeSGR(data, i)) {
			return j
		}
	}
	// Line breaks are counted only here, for the runs that get this far; a run holds none.
	f.count(i)
	f.counted = j
	c := &f.cand
	if !candidate(c, pre, data, f.lineStart, i, j, cl, &fr) {
		return j
	}
	cline, cstart := f.line, f.lineStart
	if c.Keyed {
		if fr.ok && len(c.Text) == fr.end-fr.from && len(c.Text) > 0 && &c.Text[0] == &data[fr.from] {
			c.dec = fr.dec // for unwrap's look at the layout of the run as it stands
		}
		j = unwrap(c, data, j, f.lineStart)
		c.dec = nil // set again below if the value is the run as it stood
		f.counted = j
		if len(c.Unwrapped) > 0 && c.Unwrapped[len(c.Unwrapped)-1] == UnwrapTrace {
			nl, ls := lineBreaks(data[i:j])
			f.line += nl
			if ls >= 0 {
				f.lineStart = i + ls
			}
		}
		if !plausible(c.Text) || dotted(data, j) {
			return j
		}
	}
	c.block, c.lineStart, c.runStop = data, cstart, j
	if fr.ok && len(c.Unwrapped) == 0 && len(c.Text) == fr.end-fr.from && len(c.Text) > 0 && &c.Text[0] == &data[fr.from] {
		c.dec = fr.dec
	}
	f.emit(c, cline)
	return j
}

// goesOn reports whether the value whose run ends at j may go on after it.
func goesOn(data []byte, lineStart, j int) bool {
	m := spaces(data[j:]) // "++" a URL decoder made two spaces, as unwrap reads them
	return j+1 < len(data) && (data[j] == '%' || data[j] == '\\' || m > 0 && j+m < len(data) && startsValue(data[j+m:]) ||
		(data[j] == '\n' || data[j] == '\r') && traced(data, lineStart, j))
}

// traced reports whether the line ending at j is wrapped by curl --trace-ascii.
func traced(data []byte, lineStart, j int) bool {
	_, _, ok := traceNext(data, lineStart, j)
	return ok
}

// pastEscape returns where a run that starts at i, just after a backslash, really starts: after
// nginx's \x22 or JSON's \u0022 (a quote, escaped) or \n, when the backslash is not itself
// escaped. In {\x22context\x22: \x22TOKEN\x22}, as nginx's default log escaping writes a JSON
// body, the letters x22 are not the token's.
func pastEscape(data []byte, i int) int {
	m := 0
	for k := i - 1; k >= 0 && data[k] == '\\'; k-- {
		m++
	}
	if m%2 == 0 {
		return i
	}
	switch c := data[i]; {
	case c == 'x' && i+2 < len(data) && isHex(data[i+1]) && isHex(data[i+2]):
		return i + 3
	case c == 'u' && i+4 < len(data) && isHex(data[i+1]) && isHex(data[i+2]) && isHex(data[i+3]) && isHex(data[i+4]):
		return i + 5
	case c == 'n' || c == 'r' || c == 't' || c == 'b' || c == 'f':
		return i + 1
	}
	return i
}

// pastSGR returns where a run that starts at i, just after '[' or ';', really starts: after the
// 'm' of a terminal colour code ("[32m", "[1;32m", "[0m", "[m") when the run's first characters end
// one, else i. Coloured console output, kept with tee or script, puts one right before a value
// (lmittmann/tint writes "\x1b[2mcontext=\x1b[0m" and the value), and its digits and 'm' are run
// characters: the token would be read from the code's digits. The escape byte before the '[' is
// not required: log shippers and CI consoles drop it and keep "[32m", and a token never starts
// with a digit (its first character, the IV length 12, is 'D').
func pastSGR(data []byte, i int) int {
	j := i
	for j < len(data) && j-i < 4 && isDigit(data[j]) {
		j++
	}
	if j == len(data) || data[j] != 'm' || sgrOpen(data, i-1) < 0 {
		return i
	}
	return j + 1
}

// sgrOpen returns where the '[' of a colour code is when b[end] is that '[' or one of the code's
// parameters after it (digits and ';', a few), else -1.
func sgrOpen(b []byte, end int) int {
	k := end
	for k > 0 && end-k < 16 && (b[k] == ';' || isDigit(b[k])) {
		k--
	}
	if k < 0 || b[k] != '[' {
		return -1
	}
	return k
}

// beforeSGR returns where the colour code that pastSGR passed to reach i starts (its escape byte,
// the text of one, or its '['), or i when no code ends at i. A run never starts right after an 'm'
// otherwise ('m' is a run character), so the test costs one comparison on other runs.
func beforeSGR(data []byte, i int) int {
	if i < 3 || data[i-1] != 'm' {
		return i
	}
	k := sgrOpen(data, i-2)
	if k < 0 {
		return i
	}
	return k - escapeBefore(data[:k])
}

// escapeBefore returns the length of the escape that ends b: the byte (0x1b) or its text in a
// JSON or source string (\u001b, \x1b, \033, \e); 0 for none.
func escapeBefore(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == 0x1b {
		return 1
	}
	for _, e := range [...]string{`\u001b`, `\u001B`, `\x1b`, `\x1B`, `\033`, `\e`} {
		if len(b) >= len(e) && string(b[len(b)-len(e):]) == e {
			return len(e)
		}
	}
	return 0
}

// lineBreaks counts the line breaks in b and returns where the last line of b starts, -1 if b
// holds none.
func lineBreaks(b []byte) (int64, int) {
	var n int64
	last := -1
	for k, c := range b {
		if c == '\n' || c == '\r' && (k+1 == len(b) || b[k+1] != '\n') {
			n++
			last = k + 1
		}
	}
	return n, last
}

// dotted reports whether the value ending at j goes on with '.' and more base64: a JWT or another
// dotted token, never an app context.
func dotted(data []byte, j int) bool {
	return j+1 < len(data) && data[j] == '.' && classes[data[j+1]] != 0
}

// runEnd returns where the run starting at i ends and the union of its characters' classes. It
// tests eight bytes a step with word arithmetic (runLanes): a token's characters cost about one
// operation each, and a short word of a log line, which ends inside its first eight bytes, costs
// one step, with no byte loop and no table lookups.
func runEnd(data []byte, i int) (int, byte) {
	var cl byte
	for i+8 <= len(data) {
		x := binary.LittleEndian.Uint64(data[i:])
		// Most words of a token are letters and digits only: that test (inlined) decides them
		// with no call and no further test.
		if allAlnum(x) {
			cl |= classAlnum
			i += 8
			continue
		}
		alnum, url, std, pad := runLanes(x)
		run := alnum | url | std | pad
		if run == hi {
			cl |= laneClasses(alnum, url, std, pad)
			i += 8
			continue
		}
		// The first byte that is not a run character ends the run: keep the lanes before it.
		n := bits.TrailingZeros64(^run&hi) >> 3
		keep := uint64(1)<<(8*n) - 1
		return i + n, cl | laneClasses(alnum&keep, url&keep, std&keep, pad&keep)
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

// Word constants for runLanes: each byte of one is 0x01, of lo7 0x7f, of hi 0x80.
const (
	one = 0x0101010101010101
	lo7 = 0x7f7f7f7f7f7f7f7f
	hi  = 0x8080808080808080
)

// runLanes has, for each byte of x, the top bit set in alnum, url, std or pad when the byte is a
// letter or digit, '-' or '_', '+' or '/', or '='; none for a byte that is not a run character.
// Bytes of 0x80 and above are first made 0, which no class holds, so that each test keeps every
// byte's sum below 0x100 and no carry crosses into the next byte: for such x, x + (0x80-lo) has
// a byte's top bit set when that byte is at least lo.
func runLanes(x uint64) (alnum, url, std, pad uint64) {
	x &^= (x & hi >> 7) * 0xff
	l := x | 0x2020202020202020 // letters in lower case
	alnum = (l + (0x80-'a')*one) &^ (l + (0x80-'z'-1)*one) & hi
	alnum |= (x + (0x80-'0')*one) &^ (x + (0x80-'9'-1)*one) & hi
	if alnum == hi {
		return alnum, 0, 0, 0
	}
	return alnum, eqWord(x, '-') | eqWord(x, '_'), eqWord(x, '+') | eqWord(x, '/'), eqWord(x, '=')
}

// laneClasses is the union of the classes whose lanes are set.
func laneClasses(alnum, url, std, pad uint64) byte {
	var cl byte
	if alnum != 0 {
		cl |= classAlnum
	}
	if url != 0 {
		cl |= classURL
	}
	if std != 0 {
		cl |= classStd
	}
	if pad != 0 {
		cl |= classEq
	}
	return cl
}

// runWord reports whether all eight bytes of x are run characters, and their classes.
func runWord(x uint64) (byte, bool) {
	alnum, url, std, pad := runLanes(x)
	if alnum|url|std|pad != hi {
		return 0, false
	}
	return laneClasses(alnum, url, std, pad), true
}

// eqWord has the top bit of each byte of x that equals c set, exactly (no borrow between bytes).
func eqWord(x, c uint64) uint64 {
	v := x ^ c*one
	return ^((v&lo7 + lo7) | v) & hi
}

// candidate judges the run data[i:j], whose character classes are cl, and which fr, when not
// nil, is what runDecoder.end read of.
func candidate(c *Candidate, pre, data []byte, lineStart, i, j int, cl byte, fr *fusedRun) bool {
	run := data[i:j]
	pad := trailingEq(run)
	keyStart, keyEnd := i, i // a key inside the run: "context=TOKEN"
	// "context=TOKEN" is one run, since '=' is a base64 character: a '=' followed by more of the
	// run cannot be padding, so what precedes it is a key.
	if cl&classEq != 0 {
		if k := lastEqRead(run[:len(run)-pad], i, fr); k >= 0 {
			keyEnd = i + k + 1
			run = run[k+1:]
		}
	}
	// "context%3DTOKEN", percent-encoded inside another URL: the run begins with the escape's digits.
	if keyEnd == i && i > 0 && data[i-1] == '%' && len(run) > 2 && (run[0] == '3') && (run[1] == 'D' || run[1] == 'd' || run[1] == 'A' || run[1] == 'a') {
		keyEnd = i + 2
		run = run[2:]
	}
	if keyEnd == i {
		// "context=\x1b[0mTOKEN": the key is read from before the colour code pastSGR passed.
		keyStart = beforeSGR(data, i)
		keyEnd = keyStart
	}
	n := len(run) - pad
	// A short run may be the start of a value that goes on past an escape, a space that was '+'
	// or curl's wrap of its line.
	if pad > 2 || n >= maxRun || n < minKeyed && !goesOn(data, lineStart, j) {
		return false
	}
	*c = Candidate{Text: run, Std: cl&classStd != 0}
	c.Key, c.Keyed = keyBefore(pre, data, keyStart, keyEnd)
	return c.Keyed || n >= minBare
}

// lastEq is bytes.LastIndexByte(b, '='), found forwards: the '=' of "context=TOKEN" is near the
// start, and the forward search is vectorised where the backward one is a byte loop.
func lastEq(b []byte) int {
	k := bytes.IndexByte(b, '=')
	for k >= 0 {
		m := bytes.IndexByte(b[k+1:], '=')
		if m < 0 {
			break
		}
		k += m + 1
	}
	return k
}

// lastEqRead is lastEq(b), b being a run's text from i without its padding, taken from what
// runDecoder.end read of the run when it tells: a run it decoded whole (fr.ok) holds no '=' from
// fr.from to its padding ('=' is no base64url character), and fr.from is just past the '=' before
// that, or the run's start. A '=' the decoder passed that is padding after all (the run's padding
// begins a word before its last) is left to lastEq. This spares a token the search of all its
// characters for a '=', twice.
func lastEqRead(b []byte, i int, fr *fusedRun) int {
	switch {
	case fr == nil || !fr.ok:
	case fr.from == i:
		return -1
	case fr.from-1-i < len(b):
		return fr.from - 1 - i
	}
	return lastEq(b)
}

func trailingEq(b []byte) int {
	n := 0
	for n < len(b) && b[len(b)-1-n] == '=' {
		n++
	}
	return n
}

// keyBefore returns the key before a run when it names an app context. After closing quotes,
// brackets and spaces, one separator (':', '=', '=>', or their percent-encodings) and opening
// quotes or brackets, the name must be an app context's (see contextName); a HAR entry's "value"
// counts when its "name" is one. The text is data[:runStart] (preceded by pre) and, for
// "context=TOKEN", data[runStart:keyEnd].
func keyBefore(pre, data []byte, runStart, keyEnd int) ([]byte, bool) {
	if keyEnd == runStart && !separatorNear(pre, data, runStart) {
		return nil, false // the common case, decided without copying anything
	}
	if keyEnd-runStart == len("context=") && runStart > 0 && (data[runStart-1] == '?' || data[runStart-1] == '&') &&
		string(data[runStart:keyEnd]) == "context=" {
		return commonKeyBytes[0], true // "?context=TOKEN", as queryKey reads it, in one comparison
	}
	if name, ok := queryKey(data, runStart, keyEnd); ok {
		if contextName(name) {
			return keyBytes(name), true
		}
		return nil, false
	}
	return keyBeforeSlow(pre, data, runStart, keyEnd)
}

// queryKey reads the name of "?context=TOKEN" or "&context=TOKEN" (a query parameter, the run
// holding name, '=' and value), or of "name=value" after a space, a quote, a comma or a bracket
// (a logger's key=value words), in place: what keyBeforeSlow finds there, without copying the
// bytes before the run or looking for escapes and trace wraps in them. Nothing it reads can be
// escaped or wrapped: the name is run characters, and the byte before it ends it (a space after
// a ':' is left to the slow look: curl's trace offset "0040: " ends so, and a name may go on
// across the wrap). ok is false when the run does not have that shape, or for a HAR "value",
// which needs the slow look.
func queryKey(data []byte, runStart, keyEnd int) ([]byte, bool) {
	if keyEnd-runStart < 4 || keyEnd-runStart > lookBehind || runStart == 0 || !endsName[data[runStart-1]] ||
		data[runStart-1] == ' ' && runStart >= 2 && data[runStart-2] == ':' {
		return nil, false
	}
	seg := data[runStart : keyEnd-1] // keyEnd is just past the run's last inner '='
	k := len(seg)
	for k > 0 && isNameChar(seg[k-1]) {
		k--
	}
	name := seg[k:]
	if len(name) == 0 || len(name) == len("value") && bytes.EqualFold(name, []byte("value")) {
		return nil, false
	}
	return name, true
}

// endsName holds the bytes before a run that end the name of its "name=value" for queryKey: none
// is a name character, and none starts or ends an escape.
var endsName = func() (t [256]bool) {
	for _, c := range []byte("?& \t\"',;{([|<") {
		t[c] = true
	}
	return t
}()

// keyBeforeSlow is keyBefore for any shape: the bytes before the run, with quotes unescaped and
// curl's trace wraps removed, read back from the run's start.
func keyBeforeSlow(pre, data []byte, runStart, keyEnd int) ([]byte, bool) {
	from, end := max(0, runStart-lookBehind), min(keyEnd, runStart+lookBehind)
	b := data[from:end]
	withPre := from == 0 && runStart < lookBehind && len(pre) > 0
	// Every name this accepts holds an 'x' (context, or a HAR entry's name, which is a context's),
	// and undoing escapes and trace wraps only removes bytes: with no 'x' in the bytes looked at,
	// there is no key, and nothing is copied (a separator before a short word: "09:30:05").
	if !hasX(b) && (!withPre || !hasX(pre[max(0, len(pre)-(lookBehind-runStart)):])) {
		return nil, false
	}
	// Read in place when the bytes are all in data and hold no escape or trace wrap to undo
	// (both undo in place, so they work on a copy): most keys, and most separators that precede
	// no key at all ("09:30:05"), are decided without copying.
	if withPre || bytes.IndexByte(b, '\\') >= 0 || hasTrace(b) {
		var buf [2 * lookBehind]byte // zeroed only when a copy is made
		b = buf[:0]
		if withPre {
			b = append(b, pre[max(0, len(pre)-(lookBehind-runStart)):]...)
		}
		b = append(b, data[from:end]...)
		b = untrace(unescapeQuotes(b))
	}
	name, ok := nameBefore(b)
	if !ok {
		return nil, false
	}
	if contextName(name) {
		return keyBytes(name), true
	}
	if bytes.EqualFold(name, []byte("value")) { // HAR: {"name": "x-zoom-app-context", "value": "TOKEN"}
		if har := harName(b[:len(b)-len(name)]); har != nil && contextName(har) {
			return keyBytes(har), true
		}
	}
	return nil, false
}

// hasX reports whether b holds an 'x' or an 'X'.
func hasX(b []byte) bool {
	return bytes.IndexByte(b, 'x') >= 0 || bytes.IndexByte(b, 'X') >= 0
}

// commonKeys are the names logs give app contexts most: keyBytes and keyString return these
// without allocating.
var commonKeys = []string{"context", "x-zoom-app-context", "X-Zoom-App-Context", "appContext", "HTTP_X_ZOOM_APP_CONTEXT",
	"app_context", "zoomAppContext", "X-ZOOM-APP-CONTEXT", "Context"}

var commonKeyBytes = func() (b [][]byte) {
	for _, k := range commonKeys {
		b = append(b, []byte(k))
	}
	return b
}()

// keyBytes returns a copy of name, shared when it is a common one.
func keyBytes(name []byte) []byte {
	for i, k := range commonKeys {
		if string(name) == k {
			return commonKeyBytes[i]
		}
	}
	return bytes.Clone(name)
}

// keyString is string(name), without allocating for a common one: one keyBytes returned is
// known by where it points, with no comparison of its bytes.
func keyString(name []byte) string {
	if len(name) > 0 {
		for i, k := range commonKeyBytes {
			if &name[0] == &k[0] && len(name) == len(k) {
				return commonKeys[i]
			}
		}
	}
	for _, k := range commonKeys {
		if string(name) == k {
			return k
		}
	}
	return string(name)
}

// separatorNear is a quick look at the few bytes before a run for a key separator. Quotes escaped
// as \x22 or \u0022 (nginx's log escaping, JSON in JSON) count as quotes: when a backslash is
// seen, the look is taken again on the bytes with their quotes unescaped.
func separatorNear(pre, data []byte, runStart int) bool {
	sep, escaped := separatorIn(pre, data, runStart)
	if sep || !escaped {
		return sep
	}
	// escaped is also set by hex digits before the run ("537.36 ZoomApps"): without a backslash
	// in the bytes looked at, unescaping changes nothing, and the answer stands.
	if runStart >= escapedNear && bytes.IndexByte(data[runStart-escapedNear:runStart], '\\') < 0 {
		return false
	}
	var buf [escapedNear]byte
	w := buf[:0]
	if runStart < escapedNear {
		w = append(w, pre[max(0, len(pre)-(escapedNear-runStart)):]...)
	}
	w = append(w, data[max(0, runStart-escapedNear):runStart]...)
	w = unescapeQuotes(w)
	sep, _ = separatorIn(nil, w, len(w))
	return sep
}

// mayGoOn marks the bytes after which goesOn may find that a value goes on.
var mayGoOn = func() (t [256]bool) {
	for _, c := range []byte("%\\ \n\r") {
		t[c] = true
	}
	return t
}()

// mayPrecedeSep marks the bytes separatorIn reads past or stops at with a yes, and the run
// characters (a run that starts past an escape, "\x22TOKEN", has one before it): a run after any
// other byte has no separator before it and is not escaped.
var mayPrecedeSep = func() (t [256]bool) {
	for _, c := range []byte(":=>%\\\"' \t[({") {
		t[c] = true
	}
	for c := range t {
		t[c] = t[c] || classes[c] != 0
	}
	return t
}()

// separatorIn looks back from runStart over quotes, brackets and spaces for a separator; escaped
// says a backslash was seen.
func separatorIn(pre, data []byte, runStart int) (sep, escaped bool) {
	for k, seen := runStart-1, 0; seen < 6; k, seen = k-1, seen+1 {
		var c byte
		switch {
		case k >= 0:
			c = data[k]
		case len(pre)+k >= 0:
			c = pre[len(pre)+k]
		default:
			return false, escaped
		}
		switch c {
		case ':', '=', '>', '%':
			return true, escaped
		case '\\':
			escaped = true
		case '"', '\'', ' ', '\t', '[', '(', '{':
		default:
			return false, escaped || isHex(c) && k > 0 && (data[k-1] == 'x' || isHex(data[k-1]))
		}
	}
	return false, escaped
}

// escapedNear is how many bytes before a run separatorNear looks at: six, each possibly written
// as a six-byte escape.
const escapedNear = 36

// unescapeQuotes rewrites, in place, quotes written as escapes (\x22, \x27, \u0022, \u0027,
// with any number of backslashes) as the quotes themselves, and returns the shortened text.
func unescapeQuotes(b []byte) []byte {
	if bytes.IndexByte(b, '\\') < 0 {
		return b
	}
	out := b[:0]
	for k := 0; k < len(b); {
		if b[k] == '\\' {
			m := k
			for m < len(b) && b[m] == '\\' {
				m++
			}
			e := b[m:]
			var q byte
			n := 0
			switch {
			case len(e) >= 3 && e[0] == 'x' && e[1] == '2' && (e[2] == '2' || e[2] == '7'):
				q, n = hexByte(e[1], e[2]), 3
			case len(e) >= 5 && e[0] == 'u' && e[1] == '0' && e[2] == '0' && e[3] == '2' && (e[4] == '2' || e[4] == '7'):
				q, n = hexByte(e[3], e[4]), 5
			}
			if n > 0 {
				out = append(out, q)
				k = m + n
				continue
			}
		}
		out = append(out, b[k])
		k++
	}
	return out
}

// untrace removes, in place, curl --trace-ascii's line breaks and offsets ("\n0052: ") from b, so
// that a key wrapped by the trace is read whole.
func untrace(b []byte) []byte {
	if !hasTrace(b) {
		return b
	}
	out := b[:0]
	for k := 0; k < len(b); {
		if c := b[k]; c == '\r' || c == '\n' {
			m := k + 1
			if c == '\r' && m < len(b) && b[m] == '\n' {
				m++
			}
			if _, d, ok := traceOffset(b, m); ok {
				k = d
				continue
			}
		}
		out = append(out, b[k])
		k++
	}
	return out
}

// hasTrace reports whether a line of b starts with curl --trace-ascii's offset.
func hasTrace(b []byte) bool {
	for k := 0; ; {
		i := bytes.IndexByte(b[k:], '\n')
		if i < 0 {
			return false
		}
		k += i + 1
		if _, _, ok := traceOffset(b, k); ok {
			return true
		}
	}
}

// nameBefore reads, backwards from the end of b, opening quotes, a separator, closing quotes and
// the name before them.
func nameBefore(b []byte) ([]byte, bool) {
	b = trimSep(b, "\"' \t[(\\")
	switch {
	case len(b) >= 3 && b[len(b)-3] == '%' && b[len(b)-2] == '3' && strings.ContainsRune("DdAa", rune(b[len(b)-1])):
		b = b[:len(b)-3] // %3D, %3A
	case len(b) >= 2 && b[len(b)-2] == '=' && b[len(b)-1] == '>':
		b = b[:len(b)-2] // Ruby and PHP: "context"=>"TOKEN", [HTTP_X_ZOOM_APP_CONTEXT] => TOKEN
	case len(b) >= 1 && (b[len(b)-1] == ':' || b[len(b)-1] == '='):
		b = b[:len(b)-1]
	default:
		return nil, false
	}
	b = trimSep(b, "\"' \t])\\")
	if len(b) >= 3 && b[len(b)-3] == '%' && isHex(b[len(b)-2]) && isHex(b[len(b)-1]) {
		b = b[:len(b)-3] // "context%22%3A..." and the like
	}
	k := len(b)
	for k > 0 && isNameChar(b[k-1]) {
		k--
	}
	name := b[k:]
	if k >= 1 && b[k-1] == '%' && len(name) > 2 && isHex(name[0]) && isHex(name[1]) {
		name = name[2:] // "%3Fcontext": the name follows a percent-escape
	}
	if k >= 1 && (b[k-1] == '[' || b[k-1] == ';') {
		// "\x1b[2mcontext=": the name follows a colour code (see pastSGR), whose last digits and
		// 'm' are name characters. Its escape is required here: "[mcontext" may be a name.
		d := 0
		for d < len(name) && d < 4 && isDigit(name[d]) {
			d++
		}
		if e := sgrOpen(b, k-1); d < len(name) && name[d] == 'm' && e >= 0 && escapeBefore(b[:e]) > 0 {
			name = name[d+1:]
		}
	}
	return name, len(name) > 0
}

// harName finds the "name" member before a HAR entry's "value" and returns its string.
func harName(b []byte) []byte {
	k := bytes.LastIndex(b, []byte(`"name"`))
	if k < 0 {
		return nil
	}
	rest := trimLeft(b[k+len(`"name"`):], " \t")
	if len(rest) == 0 || rest[0] != ':' {
		return nil
	}
	rest = trimLeft(rest[1:], " \t")
	if len(rest) == 0 || rest[0] != '"' {
		return nil
	}
	end := bytes.IndexByte(rest[1:], '"')
	if end < 0 {
		return nil
	}
	return rest[1 : 1+end]
}

// contextName reports whether a key names an app context: "context" itself, or a name ending in
// app-context however it is spelt (x-zoom-app-context, appContext, HTTP_X_ZOOM_APP_CONTEXT,
// zoom_app_context). Names that merely end in "context" (traceContext, NestJS's "context" field
// is handled by the value's shape) do not.
func contextName(name []byte) bool {
	if string(name) == "context" { // as most query strings spell it: the loop below, in one test
		return true
	}
	const want = "appcontext"
	k := len(want)
	i := len(name) - 1
	for ; i >= 0 && k > 0; i-- {
		c := name[i] | 0x20 // ASCII lower case; '-' and '_' are skipped below
		if name[i] == '-' || name[i] == '_' || name[i] == '.' {
			continue
		}
		if c != want[k-1] {
			break
		}
		k--
	}
	if k == 0 {
		return true
	}
	// "context" alone: all of it matched and nothing precedes it.
	return k == len("app") && i < 0
}

func isNameChar(c byte) bool {
	return classes[c]&(classAlnum|classURL) != 0 || c == '.'
}

// trimSep removes trailing bytes found in set.
func trimSep(b []byte, set string) []byte {
	for len(b) > 0 && strings.IndexByte(set, b[len(b)-1]) >= 0 {
		b = b[:len(b)-1]
	}
	return b
}

func trimLeft(b []byte, set string) []byte {
	for len(b) > 0 && strings.IndexByte(set, b[0]) >= 0 {
		b = b[1:]
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
	binary      bool   // the first block of an input that is not text
	head        []byte // the start of the line the block begins inside, when it begins mid-line
	results     []Result
	lines       []int64 // per result, newlines before it in the block
	counts      blockCounts
	buf         []byte // the memory data lives in
	sealed      []byte // the decoded tokens of the block's tag mismatches, kept for Explain
}

// split cuts an input into blocks at the last byte of each that cannot be part of a run, and calls
// fn with each. A stretch of run characters longer than a block is longer than any token: it is
// dropped, and memory stays bounded by the block size whatever the input.
//
// A file is read a whole block at a time. A live input (a pipe, a terminal, a FIFO) is cut as its
// lines arrive, so that `tail -f app.log | zoomdbg scan` reports each token a moment after its
// line is written. When ctx ends (Ctrl+C), what was read is still given to fn, and split returns
// ctx's error; when reading fails (a truncated archive), every complete line read before the
// failure is given to fn, and split returns the error.
func split(ctx context.Context, in Input, fn func(*block) error) error {
	r := in.R
	if in.Live {
		lr := newLiveReader(ctx, r)
		defer lr.stop()
		r = lr
	}
	var carry []byte // the run in progress at the end of the previous block
	var pre, head []byte
	skipping := false // inside a run too long to be a token
	first := true
	for {
		b := getBlock()
		b.buf = append(b.buf[:0], carry...)
		var n int
		var err error
		if ctx.Err() != nil {
			err = ctx.Err()
		} else {
			n, err = fill(r, b.buf[len(b.buf):blockSize], in.Live)
		}
		b.buf = b.buf[:len(b.buf)+n]
		eof := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		stopped := ctx.Err() != nil && err != nil && !eof // interrupted: what was read counts
		failed := err != nil && !eof && !stopped
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
		switch {
		case failed: // keep the complete lines: the last one may be cut anywhere
			cut = bytes.LastIndexAny(data, "\r\n") + 1
		case !eof && !stopped:
			cut = lastBoundary(data)
			if cut < 0 { // no byte here can end a run: one run fills the block
				carry, skipping = carry[:0], true
				putBlock(b)
				continue
			}
			cut++
		}
		carry = append(carry[:0], data[cut:]...)
		b.file, b.firstInFile, b.data = in.Name, first, data[:cut]
		b.binary = first && looksBinary(b.data)
		b.pre = append(b.pre[:0], pre...)
		b.head = append(b.head[:0], head...)
		head = lineHead(head, b.data)
		first = false
		pre = append(pre[:0], b.data[max(0, len(b.data)-lookBehind):]...)
		if len(b.data) > 0 || b.firstInFile {
			if ferr := fn(b); ferr != nil {
				return ferr
			}
		} else {
			putBlock(b)
		}
		switch {
		case failed:
			return err
		case stopped:
			return ctx.Err()
		case eof:
			return nil
		}
	}
}

// fill reads into p: all of it from a file; from a live input, until a line has ended.
func fill(r io.Reader, p []byte, live bool) (int, error) {
	if !live {
		return io.ReadFull(r, p)
	}
	got := 0
	for got < len(p) {
		n, err := r.Read(p[got:])
		got += n
		if err != nil {
			return got, err
		}
		if bytes.IndexByte(p[got-n:got], '\n') >= 0 || bytes.IndexByte(p[got-n:got], '\r') >= 0 {
			break
		}
	}
	return got, nil
}

// binarySample is how much of an input's start looksBinary judges.
const binarySample = 64 << 10

// looksBinary reports whether the start of an input is not text: a NUL, or more than one byte in
// twenty a control character no log writes. Random bytes are about one in ten; a text log, UTF-8
// or decoded UTF-16, none. It is how `zoomdbg scan` on an image or an archive format it does not
// read says so, rather than "none found".
func looksBinary(b []byte) bool {
	b = b[:min(len(b), binarySample)]
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b || c == 0x7f {
			if c == 0 {
				return true
			}
			ctl++
		}
	}
	return len(b) > 0 && ctl*20 > len(b)
}

// maxHead is how much of a line longer than a block is kept for the blocks after its first: its
// time, where loggers put it (pino's "time" leads a line of any length).
const maxHead = 4 << 10

// lineHead returns the head of the line in progress after data, given head, the head of the line
// in progress before it: empty when data ends a line.
func lineHead(head, data []byte) []byte {
	if k := bytes.LastIndexAny(data, "\r\n"); k >= 0 {
		head, data = head[:0], data[k+1:]
	}
	return append(head, data[:min(len(data), maxHead-len(head))]...)
}

// beforeTrace moves a cut at the line break i back before the curl --trace-ascii lines that end
// there, when the last of them is full (64 bytes): a token it wraps goes on in the next line.
func beforeTrace(data []byte, i int) int {
	for steps := 0; steps < 64; steps++ {
		s := bytes.LastIndexByte(data[:i], '\n') + 1
		end := i
		if end > s && data[end-1] == '\r' {
			end--
		}
		_, d, ok := traceOffset(data[:end], s)
		if !ok || end-d != traceWidth || s == 0 {
			return i
		}
		i = s - 1
	}
	return i
}

// lastBoundary returns where to cut a block: its last line break, so that a value whose escapes
// ('%2B', '\\/') are not run characters is never cut in two, or else its last byte that cannot be
// in a run; -1 when there is none.
func lastBoundary(data []byte) int {
	if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
		return beforeTrace(data, i)
	}
	if i := bytes.LastIndexByte(data, '\r'); i >= 0 {
		return i
	}
	for i := len(data) - 1; i >= 0; i-- {
		if classes[data[i]] == 0 {
			return i
		}
	}
	return -1
}
