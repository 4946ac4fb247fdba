package scan

import (
	"math"
	"math/bits"
)

// distinct counts distinct strings in bounded memory: exactly (by their 64-bit hashes, which
// collide once in billions at this size) up to exactLimit of them, then by HyperLogLog estimate
// (Flajolet et al., 2007) in 16 KiB, with a standard error of about 0.8%.
type distinct struct {
	exact *hashSet
	regs  []uint8 // HyperLogLog registers, once past exactLimit
}

const (
	exactLimit = 4096
	hllBits    = 14
	hllRegs    = 1 << hllBits
)

// sum64 hashes b eight bytes at a time (each word multiplied into the state, the mixing of
// splitmix64's constants) and mixes the result with splitmix64's finalizer, so that every bit of
// it is usable by HyperLogLog. It runs for the uid and mid of every token: a byte-at-a-time FNV-1a
// cost 5% of a scan. It is fixed, not seeded per process: the same input gives the same distinct
// counts, estimates included, run after run.
func sum64[T string | []byte](b T) uint64 {
	n := len(b)
	h := uint64(n)*0x9e3779b97f4a7c15 ^ 14695981039346656037
	for i := 0; i+8 <= n; i += 8 {
		h = bits.RotateLeft64(h^word8(b, i)*0xbf58476d1ce4e5b9, 29) * 0x94d049bb133111eb
	}
	var w uint64
	if n >= 8 {
		// The last eight bytes, overlapping the word before (or the last word again): a uid or
		// mid's tail in one load, and no branch on the length's remainder (uid 22, mid 24).
		w = word8(b, n-8)
	} else {
		for i := 0; i < n; i++ {
			w |= uint64(b[i]) << (8 * i)
		}
	}
	h = bits.RotateLeft64(h^w*0xbf58476d1ce4e5b9, 29) * 0x94d049bb133111eb
	return mix64(h)
}

// word8 is the eight bytes of b at i as a little-endian word.
func word8[T string | []byte](b T, i int) uint64 {
	b = b[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

func mix64(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	return h ^ h>>31
}

func (d *distinct) add(s string) { d.addSum(sum64(s)) }

// addSum counts the string whose hash is h.
func (d *distinct) addSum(h uint64) {
	if d.regs != nil {
		d.addHash(h)
		return
	}
	if d.exact == nil {
		d.exact = &hashSet{}
	}
	d.exact.add(h)
	if d.exact.n > exactLimit {
		d.regs = make([]uint8, hllRegs)
		d.exact.each(d.addHash)
		d.exact = nil
	}
}

func (d *distinct) addHash(h uint64) {
	idx := h >> (64 - hllBits)
	rho := uint8(bits.LeadingZeros64(h<<hllBits|1<<(hllBits-1))) + 1
	// max(r, rho) without a branch (the compiler's max branched): which is larger is a coin
	// toss until the registers fill, a mispredicted branch in two.
	r := d.regs[idx]
	gt := uint8((uint32(r) - uint32(rho)) >> 31) // 1 when rho > r
	d.regs[idx] = r + (rho-r)*gt
}

// count returns the number of distinct strings, and whether it is an estimate.
func (d *distinct) count() (int, bool) {
	if d.regs == nil {
		return d.exact.len(), false
	}
	const m = float64(hllRegs)
	alpha := 0.7213 / (1 + 1.079/m)
	var sum float64
	zeros := 0
	for _, r := range d.regs {
		sum += math.Ldexp(1, -int(r))
		if r == 0 {
			zeros++
		}
	}
	e := alpha * m * m / sum
	if e <= 2.5*m && zeros > 0 {
		e = m * math.Log(m/float64(zeros)) // linear counting for small cardinalities
	}
	return int(math.Round(e)), true
}

// merge adds the strings counted by e to d.
func (d *distinct) merge(e *distinct) {
	if e.regs == nil {
		e.exact.each(d.addSum)
		return
	}
	if d.regs == nil {
		d.regs = make([]uint8, hllRegs)
		d.exact.each(d.addHash)
		d.exact = nil
	}
	for i, r := range e.regs {
		d.regs[i] = max(d.regs[i], r)
	}
}

// hashSet is a set of 64-bit hashes with open addressing and linear probing: the exact part of
// distinct, which every token's uid and mid go through (a Go map cost 5% of a scan). The hashes
// are already mixed, so their low bits index the table. Zero marks an empty slot; the hash 0 is
// kept aside.
type hashSet struct {
	slots []uint64
	n     int // hashes held, zero included
	zero  bool
}

func (s *hashSet) add(h uint64) {
	if h == 0 {
		if !s.zero {
			s.zero, s.n = true, s.n+1
		}
		return
	}
	if 2*(s.n+1) > len(s.slots) {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case h:
			return
		case 0:
			s.slots[i] = h
			s.n++
			return
		}
	}
}

// grow doubles the table (at least 64 slots), keeping it at most half full.
func (s *hashSet) grow() {
	old := s.slots
	s.slots = make([]uint64, max(64, 2*len(old)))
	mask := uint64(len(s.slots) - 1)
	for _, h := range old {
		if h == 0 {
			continue
		}
		i := h & mask
		for s.slots[i] != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = h
	}
}

// len is the number of hashes held; a nil set holds none.
func (s *hashSet) len() int {
	if s == nil {
		return 0
	}
	return s.n
}

// each calls fn with every hash held.
func (s *hashSet) each(fn func(uint64)) {
	if s == nil {
		return
	}
	if s.zero {
		fn(0)
	}
	for _, h := range s.slots {
		if h != 0 {
			fn(h)
		}
	}
}
