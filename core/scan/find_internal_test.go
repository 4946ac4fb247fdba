package scan

import (
	"bytes"
	"testing"

	"github.com/zoomdbg/zoomdbg/fixtures"
)

// BenchmarkFindBlock is the finder alone over 8 MiB of log lines that each carry a token.
func BenchmarkFindBlock(b *testing.B) {
	f, _ := fixtures.Load()
	line := []byte(`2026-11-20T09:30:00Z INFO req x-zoom-app-context: ` + f.Get("valid").Token + "\n")
	data := bytes.Repeat(line, (8<<20)/len(line))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		findBlock(nil, data, func(Candidate, int64) {})
	}
}
