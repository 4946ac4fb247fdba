//go:build goexperiment.simd

package scan

import "simd/archsimd"

// A base64url decoder thirty-two characters a step in AVX2, built only with GOEXPERIMENT=simd
// (Go's experimental simd/archsimd, not under the Go 1 compatibility promise) on amd64: decoding
// was the largest share of a one-core scan after GCM (about 15%, eight characters a step). Each
// step tests all thirty-two characters with two nibble lookups (a byte is a base64url character
// exactly when the bits its low and its high nibble select share none), adds to each the offset
// its high nibble selects ('_' moved to a slot of its own), and packs the 6-bit values to 24 bytes
// with two multiply-adds, a shuffle and a permutation. The technique is Muła and Lemire's
// ("Faster Base64 Encoding and Decoding Using AVX2 Instructions", 2018), its tables worked out
// here for the URL alphabet. decodeVectors stops at the first step holding any other byte; the
// eight-character loop goes on from there and stops at the same word it would have alone.

// Bits of the nibble tables: one per class of high nibble (lowBad sets a class's bit for each low
// nibble that is no base64url character under it) and one for a high nibble of no character at all.
const (
	nibDash  = 1 << iota // 0x2_: '-' (0x2D)
	nibDigit             // 0x3_: '0'-'9'
	nibAlpha             // 0x4_ and 0x6_: 'A'-'O', 'a'-'o'
	nibP                 // 0x5_: 'P'-'Z', '_'
	nibp                 // 0x7_: 'p'-'z'
	nibNone              // 0x0_, 0x1_, 0x8_-0xF_ (bytes of 0x80 and above shuffle to 0 anyway)
)

// twice repeats a 16-byte table in both halves of a 32-byte vector: AVX2's byte shuffle works
// within each 128-bit half.
func twice(t [16]int8) (r [32]int8) {
	copy(r[:], t[:])
	copy(r[16:], t[:])
	return r
}

var (
	lowBad = twice([16]int8{
		0x0: nibDash | nibAlpha | nibNone, // '0', 'P', 'p'
		0x1: nibDash | nibNone, 0x2: nibDash | nibNone, 0x3: nibDash | nibNone, 0x4: nibDash | nibNone,
		0x5: nibDash | nibNone, 0x6: nibDash | nibNone, 0x7: nibDash | nibNone, 0x8: nibDash | nibNone,
		0x9: nibDash | nibNone,
		0xA: nibDash | nibDigit | nibNone,
		0xB: nibDash | nibDigit | nibP | nibp | nibNone, 0xC: nibDash | nibDigit | nibP | nibp | nibNone,
		0xD: nibDigit | nibP | nibp | nibNone, // '-', 'M', 'm'
		0xE: nibDash | nibDigit | nibP | nibp | nibNone,
		0xF: nibDash | nibDigit | nibp | nibNone, // 'O', '_', 'o'
	})
	highClass = twice([16]int8{nibNone, nibNone, nibDash, nibDigit, nibAlpha, nibP, nibAlpha, nibp,
		nibNone, nibNone, nibNone, nibNone, nibNone, nibNone, nibNone, nibNone})
	// highOffset: what a character adds to become its value, by high nibble; slot 0xD is '_'s.
	highOffset = twice([16]int8{0x2: 62 - '-', 0x3: 52 - '0', 0x4: -'A', 0x5: -'A', 0x6: 26 - 'a', 0x7: 26 - 'a',
		0xD: 63 - '_'})
	// Pack: pairs of 6-bit values to 12 bits, pairs of those to 24, the 3 bytes of each 32-bit
	// lane in order, the two halves' 12 bytes together.
	pack6 = func() (r [32]int8) {
		for i := range r {
			r[i] = int8(1 + 63*((i+1)%2))
		}
		return r
	}()
	pack12 = func() (r [16]int16) {
		for i := range r {
			r[i] = int16(1 + 4095*((i+1)%2))
		}
		return r
	}()
	order  = twice([16]int8{2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1})
	halves = [8]uint32{0, 1, 2, 4, 5, 6, 3, 7}
)

var hasAVX2 = archsimd.X86.AVX2()

// decodeVectors decodes src thirty-two base64url characters at a time into dst while a step holds
// only base64url characters and dst has room for thirty-two bytes, and returns how many
// characters it read and bytes it wrote (twenty-four a step).
func decodeVectors(dst, src []byte) (int, int) {
	in, out := src, dst
	if !hasAVX2 || len(in) < 32 {
		return 0, 0
	}
	lowT, highT, offT := archsimd.LoadInt8x32(&lowBad).AsUint8x32(), archsimd.LoadInt8x32(&highClass).AsUint8x32(),
		archsimd.LoadInt8x32(&highOffset).AsUint8x32()
	p6, p12 := archsimd.LoadInt8x32(&pack6), archsimd.LoadInt16x16(&pack12)
	ord, hv := archsimd.LoadInt8x32(&order), archsimd.LoadUint32x8(&halves)
	nibble := archsimd.BroadcastUint8x32(0x0f)
	under, underSlot := archsimd.BroadcastUint8x32('_'), archsimd.BroadcastUint8x32(0x08)
	// The high nibble by a multiply-high of each 16-bit lane by 1<<12, not a shift: Go 1.26 moves
	// a shift's count to a vector register with an SSE instruction, and the switch between SSE
	// and AVX state on each step made the loop slower than the eight-character one.
	by16 := archsimd.BroadcastInt16x16(1 << 12)
	for len(in) >= 32 && len(out) >= 32 {
		c := archsimd.LoadUint8x32Slice(in)
		high := c.AsInt16x16().MulHigh(by16).AsUint8x32().And(nibble)
		low := c.And(nibble)
		if !lowT.PermuteOrZeroGrouped(low.AsInt8x32()).And(highT.PermuteOrZeroGrouped(high.AsInt8x32())).IsZero() {
			break
		}
		slot := high.Or(c.Equal(under).ToInt8x32().AsUint8x32().And(underSlot))
		v := c.Add(offT.PermuteOrZeroGrouped(slot.AsInt8x32()))
		w := v.DotProductPairsSaturated(p6).DotProductPairs(p12)
		w.AsUint8x32().PermuteOrZeroGrouped(ord).AsUint32x8().Permute(hv).AsUint8x32().StoreSlice(out)
		in, out = in[32:], out[24:]
	}
	// The SSE code that follows (GCM's assembly, the runtime's copies) runs at a fraction of its
	// speed while the vector registers' upper halves hold data: clear them.
	archsimd.ClearAVXUpperBits()
	return len(src) - len(in), len(dst) - len(out)
}
