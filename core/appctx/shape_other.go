//go:build !goexperiment.simd || !amd64

package appctx

// fitsVectors reads nothing where there is no vector loop (see shape_amd64.go): fits tests every
// word itself.
func fitsVectors(b []byte, fixed, mask, str *[maxShaped / 8]uint64) (int, bool) { return 0, true }
