package scan

import (
	"encoding/binary"
	"math/bits"
	"sync"
)

// runDecoder finds a run's end and base64url-decodes the run's value in the same pass: a long
// run is read eight characters a step through the decoding table, whose values both test the
// characters and give their bits, so a token's characters are read once, not once by the finder
// and once more by the decoder (each was about an eighth of a scan). The result is used only where
// it is exactly what decodeRun gives for the candidate's text (see fused); anything unusual (a
// character of the standard alphabet, a run at the end of a block, a value unwrapped from
// escapes) leaves ok false, and the candidate is decoded on its own as before.
type runDecoder struct {
	buf   []byte           // the decoded value, reused from run to run
	pairs *[1 << 16]uint16 // pairValues, fetched once: its sync.OnceValue costs more than a word's decoding
}

// fusedRun is what runDecoder.end read: the run's end and classes as runEnd gives them, and,
// when ok, dec holding the decoding of data[from:end] without its trailing '=', where from is
// just past the run's last '=' that is not trailing padding (the value of "context=TOKEN"), or
// the run's start.
type fusedRun struct {
	end  int
	cl   byte
	dec  []byte
	from int
	ok   bool
}

// end reads the run starting at i. A run that ends within its first eight bytes (most words of a
// log line) is left to runEnd: it is never a token.
func (d *runDecoder) end(data []byte, i int) fusedRun {
	if i+8 > len(data) {
		j, cl := runEnd(data, i)
		return fusedRun{end: j, cl: cl}
	}
	r := fusedRun{from: i, ok: true}
	if x := binary.LittleEndian.Uint64(data[i:]); !allAlnum(x) {
		// runEnd's first step, taken here so that a short word costs what it costs runEnd.
		alnum, url, std, pad := runLanes(x)
		if run := alnum | url | std | pad; run != hi {
			n := bits.TrailingZeros64(^run&hi) >> 3
			keep := uint64(1)<<(8*n) - 1
			return fusedRun{end: i + n, cl: laneClasses(alnum&keep, url&keep, std&keep, pad&keep)}
		} else if std != 0 { // the standard alphabet ("20/Nov/2026", a path): never decoded here
			j, cl := runEnd(data, i+8)
			return fusedRun{end: j, cl: cl | laneClasses(alnum, url, std, pad)}
		} else if pad != 0 {
			// "context=TOKEN": a '=' in the first word with more of the run after it is a
			// key's, as the loop below finds it (the word does not decode, and its last '='
			// is not where the run ends); the value starts after it.
			r.cl = laneClasses(alnum, url, std, pad)
			r.from = i + (63-bits.LeadingZeros64(pad))>>3 + 1
			i = r.from
		}
	}
	dec := d.buf[:0]
	if d.pairs == nil {
		d.pairs = pairValues()
	}
	for i+8 <= len(data) {
		// Whole words of eight base64url characters, in a loop of their own (see decodeWords).
		if need := len(dec) + (len(data)-i)/8*6 + 8; cap(dec) < need {
			dec = append(make([]byte, 0, need+need/4), dec...)
		}
		k, o := decodeVectors(dec[len(dec):cap(dec)], data[i:])
		dec, i = dec[:len(dec)+o], i+k
		k, o = decodeWords(dec[len(dec):cap(dec)], data[i:], d.pairs)
		dec, i = dec[:len(dec)+o], i+k
		if i+8 > len(data) {
			break
		}
		s := data[i : i+8]
		alnum, url, std, pad := runLanes(binary.LittleEndian.Uint64(s))
		run := alnum | url | std | pad
		n := 8
		if run != hi {
			n = bits.TrailingZeros64(^run&hi) >> 3
		}
		keep := uint64(1)<<(8*n) - 1
		if n == 8 {
			keep = ^uint64(0)
		}
		std, pad = std&keep, pad&keep
		r.cl |= laneClasses(alnum&keep, url&keep, std, pad)
		if std != 0 { // the standard alphabet: judged and decoded on its own
			if n < 8 {
				d.buf = dec
				return fusedRun{end: i + n, cl: r.cl}
			}
			i += 8
			break
		}
		if pad != 0 {
			// A '=' followed by more of the run in this word is a key's ("context=TOKEN"): the
			// value starts after it. A '=' ending the word may be either: the next word tells.
			if last := (63 - bits.LeadingZeros64(pad)) >> 3; last < n-1 || n == 8 {
				r.from = i + last + 1
				dec = dec[:0]
				i = r.from
				continue
			}
		}
		// The run ends in this word: decode its last characters, '=' padding excepted.
		t := data[i : i+n]
		for len(t) > 0 && t[len(t)-1] == '=' {
			t = t[:len(t)-1]
		}
		m := len(t) * 6 / 8
		if cap(dec)-len(dec) < m {
			dec = append(dec[:cap(dec)], make([]byte, m+64)...)[:len(dec)]
		}
		got, ok := decodeQuads(dec[len(dec):len(dec)+m], t, &urlValues)
		dec = dec[:len(dec)+got]
		d.buf = dec
		r.end, r.dec, r.ok = i+n, dec, ok
		return r
	}
	// The run reaches the end of the block or holds the standard alphabet: left to runEnd, from
	// the word where decoding stopped (the bytes before it are run characters).
	j, cl := runEnd(data, i)
	d.buf = dec
	return fusedRun{end: j, cl: cl | r.cl}
}

// allAlnum reports whether the eight bytes of x are all letters and digits.
func allAlnum(x uint64) bool {
	l := x | 0x20*one
	return x&hi == 0 && ((l+(0x80-'a')*one)&^(l+(0x80-'z'-1)*one)|(x+(0x80-'0')*one)&^(x+(0x80-'9'-1)*one))&hi == hi
}

// decodeWords decodes src eight base64url characters at a time into dst, for as long as a word
// holds only base64url characters and dst has room for eight bytes, and returns how many
// characters it read and bytes it wrote (six a word). It is the inner loop of runDecoder.end, kept
// apart so that its few values stay in registers. A word is read at once and decoded two
// characters a lookup (pairValues): four lookups, not eight, and one test of validity.
func decodeWords(dst, src []byte, pv *[1 << 16]uint16) (int, int) {
	in, out := src, dst
	for len(in) >= 8 && len(out) >= 8 {
		w := in[:8]
		a, b := uint64(pv[binary.LittleEndian.Uint16(w)]), uint64(pv[binary.LittleEndian.Uint16(w[2:])])
		c, d := uint64(pv[binary.LittleEndian.Uint16(w[4:])]), uint64(pv[binary.LittleEndian.Uint16(w[6:])])
		if (a|b|c|d)&pairBad != 0 {
			break
		}
		binary.BigEndian.PutUint64(out, a<<52|b<<40|c<<28|d<<16)
		in, out = in[8:], out[6:]
	}
	return len(src) - len(in), len(dst) - len(out)
}

// pairBad marks, in pairValues, a pair that is not two base64url characters.
const pairBad = 1 << 15

// pairValues is, for two bytes read as a little-endian uint16 (the first in the low byte), the
// twelve bits they decode to in base64url, or pairBad. 128 KiB, made on first use (scan only);
// the pairs of base64url characters, the only ones a token reads, lie in about 12 KiB of it.
var pairValues = sync.OnceValue(func() *[1 << 16]uint16 {
	t := new([1 << 16]uint16)
	for k := range t {
		c0, c1 := urlValues[byte(k)], urlValues[byte(k>>8)]
		if c0 > 63 || c1 > 63 {
			t[k] = pairBad
			continue
		}
		t[k] = uint16(c0<<6 | c1)
	}
	return t
})
