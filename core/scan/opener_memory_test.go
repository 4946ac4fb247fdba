package scan

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/fixtures"
)

// mustLoad loads the fixtures, failing t when they do not load.
func mustLoad(t *testing.T) fixtures.File {
	t.Helper()
	f, err := fixtures.Load()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// devOpener is an Opener with the fixtures' "dev" secret, judging at no time.
func devOpener(f fixtures.File) *Opener {
	return NewOpener([]appctx.Secret{{Label: "dev", Value: []byte(f.Secrets["dev"])}}, time.Time{})
}

// TestDetachKeepsSealed: a tag mismatch left for Explain keeps its decoded token in its block's
// memory, which the next block reuses; a Result kept past emit and Detached is explained by its
// own bytes, and one that is not would be explained by whatever the block holds next (which is
// why the summary Detaches what it keeps).
func TestDetachKeepsSealed(t *testing.T) {
	f := mustLoad(t)
	o := devOpener(f).WithDeferredMismatch()
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
	f := mustLoad(t)
	o := devOpener(f)
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

// TestFindBlockAllocsPerBlock: the finder hands its candidates over in its own memory, so a
// block costs the same few allocations however many tokens it holds (a Candidate made on the heap
// for each, as one escaping to emit was, showed as a garbage collection's share of a scan).
func TestFindBlockAllocsPerBlock(t *testing.T) {
	f := mustLoad(t)
	tok := f.Get("valid").Token
	var d runDecoder
	allocs := func(n int) float64 {
		block := []byte(strings.Repeat(tok+"\n", n) + strings.Repeat("GET /?context="+tok+" 200\n", n))
		found := 0
		a := testing.AllocsPerRun(20, func() {
			found = 0
			findBlockIn(nil, block, &d, func(*Candidate, int64) { found++ })
		})
		if found != 2*n {
			t.Fatalf("%d candidates in a block of %d tokens", found, 2*n)
		}
		return a
	}
	if one, many := allocs(1), allocs(200); many > one {
		t.Fatalf("%v allocations for a block of 2 tokens, %v for 400: one or more a candidate", one, many)
	}
}
