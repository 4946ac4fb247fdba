//go:build goexperiment.simd

package appctx

import "simd/archsimd"

// fitsVectors is the word loop of payloadShape.fits, thirty-two bytes a step in AVX2, built only
// with GOEXPERIMENT=simd (Go's experimental simd/archsimd) on amd64, as scan's base64 decoder
// is. It tests the same, byte for byte: where mask keeps a byte it must be fixed's, and where str
// marks string contents it must not be '"', '\\', a control byte or 0x80 and above (a signed
// byte below 0x20). It returns how many bytes it read (whole steps) and false as soon as a step
// does not fit; fits tests the rest.
func fitsVectors(b []byte, fixed, mask, str *[maxShaped / 8]uint64) (int, bool) {
	if !hasAVX2 || len(b) < 32 {
		return 0, true
	}
	quote, backslash := archsimd.BroadcastInt8x32('"'), archsimd.BroadcastInt8x32('\\')
	space := archsimd.BroadcastInt8x32(0x20)
	i, ok := 0, true
	for ; i+32 <= len(b); i += 32 {
		k := i >> 3
		x := archsimd.LoadUint8x32Slice(b[i:]).AsInt8x32()
		f := archsimd.LoadUint64x4Slice(fixed[k:]).AsInt8x32()
		m := archsimd.LoadUint64x4Slice(mask[k:]).AsInt8x32()
		s := archsimd.LoadUint64x4Slice(str[k:]).AsInt8x32()
		notPlain := x.Equal(quote).Or(x.Equal(backslash)).Or(x.Less(space)).ToInt8x32()
		if !x.Xor(f).And(m).Or(notPlain.And(s)).IsZero() {
			ok = false
			break
		}
	}
	archsimd.ClearAVXUpperBits() // see scan's decodeVectors
	return i, ok
}

var hasAVX2 = archsimd.X86.AVX2()
