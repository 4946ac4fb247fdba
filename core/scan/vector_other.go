//go:build !goexperiment.simd || !amd64

package scan

// decodeVectors decodes nothing where there is no vector decoder (see vector_amd64.go): the
// eight-character loop decodes the whole run.
func decodeVectors(dst, src []byte) (int, int) { return 0, 0 }
