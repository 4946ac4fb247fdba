// Package oauthtest runs zoomdbg's OAuth flow in tests, as `zoomdbg flow --follow` does: the
// authorize URL followed, the callback caught on a loopback listener, then the token exchange, the
// refresh and users/me. core/oauth's own tests run it against the mock, and the interop module's
// against servers nobody here wrote, so both drive the flow one way. Like net/http/httptest, it is
// for tests only.
package oauthtest

import (
	"context"
	"encoding/binary"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/oauth"
)

// RunFlow runs the whole flow with a listener on the configured loopback redirect URI.
func RunFlow(t testing.TB, c oauth.Config) *oauth.Result {
	t.Helper()
	l, err := oauth.Listen(c.RedirectURI)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	a, err := oauth.NewAttempt(c, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	l.Expect(a.State)
	r := oauth.NewResult(a)
	if _, err := oauth.Follow(context.Background(), nil, a.URL, 5*time.Second); err != nil {
		r.Fail(oauth.StepAuthorize, err)
		return r
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cb, err := l.Wait(ctx)
	if !r.TakeCallback(cb, err) || !r.Exchange(context.Background(), nil) || !r.Refresh(context.Background(), nil) {
		return r
	}
	r.FetchMe(context.Background(), nil)
	return r
}

// FreeLoopbackRedirect returns a loopback callback URI on a port that was free a moment ago.
func FreeLoopbackRedirect(t testing.TB) string {
	t.Helper()
	l, err := oauth.Listen("http://127.0.0.1:0/callback")
	if err != nil {
		t.Fatal(err)
	}
	u := l.RedirectURI("http://127.0.0.1:0/callback")
	l.Close()
	return u
}

// FirstFailed names the first step that ran and failed, or "" when none did.
func FirstFailed(r *oauth.Result) oauth.StepName {
	for _, n := range oauth.Steps {
		if s := r.Steps[n]; s.Done && !s.OK {
			return n
		}
	}
	return ""
}

// Steps lists the result's steps in order, for failure messages.
func Steps(r *oauth.Result) []oauth.Step {
	var out []oauth.Step
	for _, n := range oauth.Steps {
		out = append(out, *r.Steps[n])
	}
	return out
}

// Seeded is a pinned random source for oauth.Compare: the same seed, the same verifier.
func Seeded(seed uint64) io.Reader {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	return rand.NewChaCha8(key)
}
