package oauth

import (
	"context"
	"strings"
	"time"

	"github.com/zoomdbg/zoomdbg/core/pkce"
)

// RunFollowed runs the whole flow against a server that approves at once, playing the browser:
// a listener on the loopback redirect URI, the authorize redirect followed to it, the exchange,
// a refresh when refresh is set, and users/me. With c.InClient it walks the in-client flow
// instead. It stops at the first step that fails; the result says which.
func RunFollowed(ctx context.Context, c Config, refresh bool) *Result {
	a, err := NewAttempt(c, "", nil)
	if err != nil {
		r := NewResult(&Attempt{Config: c, Challenge: pkce.Compute(c.Method, "")})
		r.Fail(StepChallenge, err)
		return r
	}
	if c.InClient {
		r := NewResult(a)
		if r.InClient(ctx, nil) && r.Exchange(ctx, nil) && (!refresh || r.Refresh(ctx, nil)) {
			r.FetchMe(ctx, nil)
		}
		return r
	}
	l, err := Listen(c.RedirectURI)
	if err != nil {
		r := NewResult(a)
		r.Fail(StepCallback, err)
		return r
	}
	defer l.Close()
	c.RedirectURI = l.RedirectURI(c.RedirectURI)
	if a, err = NewAttempt(c, "", nil); err != nil {
		r := NewResult(&Attempt{Config: c, Challenge: pkce.Compute(c.Method, "")})
		r.Fail(StepChallenge, err)
		return r
	}
	l.Expect(a.State)
	r := NewResult(a)
	if _, err := Follow(ctx, nil, a.URL, c.Timeout); err != nil {
		r.Fail(StepAuthorize, err)
		return r
	}
	wctx, cancel := context.WithTimeout(ctx, max(c.Timeout, 5*time.Second))
	defer cancel()
	cb, err := l.Wait(wctx)
	if r.TakeCallback(cb, err) && r.Exchange(ctx, nil) && (!refresh || r.Refresh(ctx, nil)) {
		r.FetchMe(ctx, nil)
	}
	return r
}

// FailedStep is the first step that failed, or "".
func (r *Result) FailedStep() StepName {
	for _, n := range Steps {
		if s := r.Steps[n]; s.Done && !s.OK {
			return n
		}
	}
	return ""
}

// Completed reports whether the flow got through to users/me.
func (r *Result) Completed() bool {
	return r.FailedStep() == "" && r.Steps[StepMe].OK
}

// CompareVerdict says which methods a server took in a comparison, and, when challenges that cannot
// all be right all passed, that it does not hold the verifier to the declared method.
func CompareVerdict(rs []*Result) string {
	var took []string
	challenges := map[string]bool{}
	for _, r := range rs {
		if r.Completed() {
			took = append(took, string(r.Attempt.Challenge.Method))
			if r.Attempt.Challenge.Method != pkce.Plain {
				challenges[r.Attempt.Challenge.Value] = true
			}
		}
	}
	switch {
	case len(took) == 0:
		return "this server takes none of these methods"
	case len(challenges) > 1:
		return "this server takes " + strings.Join(took, ", ") +
			": different challenges for the same method all pass, so it does not hold the verifier to one method (PKCE is not enforced)"
	}
	return "this server takes " + strings.Join(took, ", ")
}
