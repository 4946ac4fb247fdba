package oauth_test

import (
	"context"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/oauth"
)

// runFlow runs the whole flow as zoomdbg flow --follow does, with a listener on
// the registered loopback redirect.
func runFlow(t *testing.T, c oauth.Config) *oauth.Result {
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

func freeLoopbackRedirect(t *testing.T) string {
	t.Helper()
	l, err := oauth.Listen("http://127.0.0.1:0/callback")
	if err != nil {
		t.Fatal(err)
	}
	u := l.RedirectURI("http://127.0.0.1:0/callback")
	l.Close()
	return u
}

func firstFailed(r *oauth.Result) oauth.StepName {
	for _, n := range oauth.Steps {
		if s := r.Steps[n]; s.Done && !s.OK {
			return n
		}
	}
	return ""
}

func steps(r *oauth.Result) []oauth.Step {
	var out []oauth.Step
	for _, n := range oauth.Steps {
		out = append(out, *r.Steps[n])
	}
	return out
}
