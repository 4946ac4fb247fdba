package scan

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/fixtures"
)

// TestDetachKeepsSealed: a tag mismatch left for Explain keeps its decoded token in its block's
// memory, which the next block reuses; a Result kept past emit and Detached is explained by its
// own bytes, and one that is not would be explained by whatever the block holds next (which is
// why the summary Detaches what it keeps).
func TestDetachKeepsSealed(t *testing.T) {
	f, err := fixtures.Load()
	if err != nil {
		t.Fatal(err)
	}
	o := NewOpener([]appctx.Secret{{Label: "dev", Value: []byte(f.Secrets["dev"])}}, time.Time{}).WithDeferredMismatch()
	b := &block{
		data:   []byte("decrypt failed for " + f.Get("hkdf-key").Token + "\nGET /?context=" + f.Get("wrong-secret").Token + "\n"),
		sealed: make([]byte, 0, 64<<10), // a block's memory as it is once reused
	}
	o.search(b)
	if len(b.results) != 2 || b.results[0].Status != TagMismatch || b.results[1].Status != TagMismatch {
		t.Fatalf("results %+v, want two tag mismatches", b.results)
	}
	kept, aliased := b.results[0], b.results[0]
	kept.Detach()
	copy(b.sealed[:cap(b.sealed)], bytes.Repeat([]byte{0xaa}, cap(b.sealed))) // the block reused
	o.Explain(&kept)
	o.Explain(&aliased)
	if !strings.Contains(kept.Error, "opens with hkdf-sha256") {
		t.Errorf("the Detached result is explained as %q", kept.Error)
	}
	if strings.Contains(aliased.Error, "opens with hkdf-sha256") {
		t.Errorf("a result not Detached did not share the block's memory: %q", aliased.Error)
	}
}

// TestOpenFailingAllocatesNothing: opening a token that the key does not open allocates
// nothing once the Opener has opened one: GCM's Open allocates its output when given no room, and
// a log of failing tokens (another app's secret) once paid an allocation and a clear for each.
func TestOpenFailingAllocatesNothing(t *testing.T) {
	f, err := fixtures.Load()
	if err != nil {
		t.Fatal(err)
	}
	o := NewOpener([]appctx.Secret{{Label: "dev", Value: []byte(f.Secrets["dev"])}}, time.Time{})
	dec, ok := decodeRun(nil, []byte(f.Get("wrong-secret").Token), false)
	if !ok {
		t.Fatal("the fixture does not decode")
	}
	if _, opened := o.open(&o.zoom[0], dec); opened {
		t.Fatal("another app's token opened")
	}
	if n := testing.AllocsPerRun(100, func() { o.open(&o.zoom[0], dec) }); n != 0 {
		t.Fatalf("%v allocations a failing open, want 0", n)
	}
}
