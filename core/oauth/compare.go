package oauth

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/zoomdbg/zoomdbg/core/pkce"
	"github.com/zoomdbg/zoomdbg/core/termsafe"
)

// RunFollowed runs the whole flow against a server that approves at once, playing the browser:
// a listener on the loopback redirect URI, the authorize redirect followed to it, the exchange,
// a refresh when refresh is set, and users/me. With c.InClient it walks the in-client flow
// instead. It stops at the first step that fails; the result says which.
func RunFollowed(ctx context.Context, c Config, refresh bool) *Result {
	return runFollowed(ctx, c, refresh, "", nil, "")
}

// RunFollowedWith is RunFollowed with a chosen verifier ("" for a fresh one) and random source
// (nil for crypto/rand): the lanes of a comparison share one verifier.
func RunFollowedWith(ctx context.Context, c Config, refresh bool, verifier string, rnd io.Reader) *Result {
	return runFollowed(ctx, c, refresh, verifier, rnd, "")
}

// runFollowed runs the flow; swap, when set, is the verifier the token request sends instead of
// the one the challenge was made from: the compare's probe.
func runFollowed(ctx context.Context, c Config, refresh bool, verifier string, rnd io.Reader, swap string) *Result {
	failed := func(err error) *Result {
		r := NewResult(&Attempt{Config: c, Verifier: verifier, Challenge: pkce.Compute(c.Method, verifier)})
		r.Fail(StepChallenge, err)
		return r
	}
	if c.InClient {
		a, err := NewAttempt(c, verifier, rnd)
		if err != nil {
			return failed(err)
		}
		r := NewResult(a)
		if !r.InClient(ctx, nil) {
			return r
		}
		if swap != "" {
			r.Attempt.Verifier = swap
		}
		if r.Exchange(ctx, nil) && (!refresh || r.Refresh(ctx, nil)) {
			r.FetchMe(ctx, nil)
		}
		return r
	}
	if err := c.Validate(); err != nil {
		return failed(err)
	}
	l, err := Listen(c.RedirectURI)
	if err != nil {
		r := failed(err)
		*r.Steps[StepChallenge] = Step{Name: StepChallenge}
		r.Fail(StepCallback, err)
		return r
	}
	defer l.Close()
	c.RedirectURI = l.RedirectURI(c.RedirectURI)
	a, err := NewAttempt(c, verifier, rnd)
	if err != nil {
		return failed(err)
	}
	l.Expect(a.State)
	r := NewResult(a)
	browse := c.Browser
	if browse == nil {
		browse = func(ctx context.Context, u string, timeout time.Duration) (string, error) {
			return Follow(ctx, nil, u, timeout)
		}
	}
	if _, err := browse(ctx, a.URL, c.Timeout); err != nil {
		r.Fail(StepAuthorize, err)
		return r
	}
	wctx, cancel := context.WithTimeout(ctx, max(c.Timeout, 5*time.Second))
	defer cancel()
	cb, err := l.Wait(wctx)
	if !r.TakeCallback(cb, err) {
		return r
	}
	if swap != "" {
		r.Attempt.Verifier = swap
	}
	if r.Exchange(ctx, nil) && (!refresh || r.Refresh(ctx, nil)) {
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

// maxVerifierDraws bounds the search for a compare verifier. About one verifier in four has an
// S256 challenge without '-' or '_' (62/64 to the 43rd power), so 64 draws all missing is a
// chance of about 2^-126: a failure here is a broken random source.
const maxVerifierDraws = 64

// CompareVerifier draws the one verifier every lane of a comparison uses, chosen so that the five
// methods send five different challenges: its S256 challenge holds '-' or '_', so that S256-std
// (standard base64: '+' and '/') is not byte for byte S256-padded. With it, what a server takes
// depends on the server alone, and the verdict is the same on every run. rnd nil is crypto/rand.
func CompareVerifier(rnd io.Reader) (string, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	for range maxVerifierDraws {
		v, err := pkce.Generate(pkce.DefaultVerifierLen, rnd)
		if err != nil {
			return "", err
		}
		if strings.ContainsAny(pkce.Value(pkce.S256, v), "-_") {
			return v, nil
		}
	}
	return "", errors.New("no verifier in 64 draws has an S256 challenge with '-' or '_': the random source is not random")
}

// Lane is one method's run in a comparison. A method whose challenge and declared method are byte
// for byte another lane's is not sent again: SameAs names that lane and Result is its result.
type Lane struct {
	Method pkce.Method
	SameAs pkce.Method
	Result *Result
}

// Comparison is one flow per challenge method against the same server and settings, all from one
// verifier, and what they show together. Probe is the flow that tells whether PKCE is enforced at
// all: a method the server took, its challenge made from the verifier, and another verifier sent
// at the token endpoint; nil when no method was taken.
type Comparison struct {
	Verifier string
	Lanes    []Lane
	Probe    *Result
	Verdict  Verdict
}

// Compare runs one flow per method (following the authorize redirect itself) with one verifier
// from CompareVerifier(rnd), and reads the verdict. Advertised, when discovery found it, is the
// server's code_challenge_methods_supported, said beside what it did.
func Compare(ctx context.Context, c Config, methods []pkce.Method, refresh bool, rnd io.Reader) (*Comparison, error) {
	v, err := CompareVerifier(rnd)
	if err != nil {
		return nil, err
	}
	cmp := &Comparison{Verifier: v}
	sent := map[string]pkce.Method{}
	for _, m := range methods {
		key := ChallengeMethodParam(m) + " " + pkce.Value(m, v)
		if first, ok := sent[key]; ok {
			cmp.Lanes = append(cmp.Lanes, Lane{Method: m, SameAs: first, Result: cmp.lane(first).Result})
			continue
		}
		sent[key] = m
		c := c
		c.Method = m
		cmp.Lanes = append(cmp.Lanes, Lane{Method: m, Result: runFollowed(ctx, c, refresh, v, rnd, "")})
	}
	if cmp.Probe, err = Probe(ctx, c, v, cmp.Lanes, rnd); err != nil {
		return nil, err
	}
	cmp.Verdict = ReadVerdict(cmp.Lanes, c.Advertised(), cmp.Probe)
	return cmp, nil
}

// Probe runs the flow that tells whether PKCE is enforced at all: the first method the lanes show
// taken, its challenge made from verifier, and another verifier (drawn from rnd) sent at the token
// endpoint. It returns nil when no lane was taken: there is nothing to probe with.
func Probe(ctx context.Context, c Config, verifier string, lanes []Lane, rnd io.Reader) (*Result, error) {
	for _, l := range lanes {
		if l.Result == nil || LaneOutcome(l.Result) != Took || l.SameAs != "" {
			continue
		}
		if rnd == nil {
			rnd = rand.Reader
		}
		wrong, err := pkce.Generate(pkce.DefaultVerifierLen, rnd)
		if err != nil {
			return nil, err
		}
		c.Method = l.Method
		return runFollowed(ctx, c, false, verifier, rnd, wrong), nil
	}
	return nil, nil
}

func (c *Comparison) lane(m pkce.Method) Lane {
	for _, l := range c.Lanes {
		if l.Method == m {
			return l
		}
	}
	return Lane{}
}

// Outcome is what one lane says about PKCE.
type Outcome string

// The outcomes. Only Took and the refusals are facts about PKCE; Inconclusive is a lane that
// failed before the server judged its challenge or verifier (client authentication, the network,
// the callback), and says nothing about PKCE.
const (
	Took              Outcome = "took"                 // the token endpoint took the verifier
	RefusedAuthorize  Outcome = "refused at authorize" // the authorization endpoint refused the challenge
	RefusedToken      Outcome = "refused at token"     // invalid_grant for the verifier
	Inconclusive      Outcome = "inconclusive"
	outcomeNotStarted Outcome = ""
)

// LaneOutcome reads one lane's result.
func LaneOutcome(r *Result) Outcome {
	switch n := r.FailedStep(); {
	case r.Steps[StepToken].Done && r.Steps[StepToken].OK:
		return Took
	case n == StepAuthorize && r.Steps[StepAuthorize].Error != "":
		return RefusedAuthorize
	case n == StepToken && r.Steps[StepToken].Error == "invalid_grant":
		return RefusedToken
	case n == "":
		return outcomeNotStarted
	}
	return Inconclusive
}

// Verdict is what a comparison shows, each part a fact read off the lanes: which methods the
// server took and refused, which lanes sent the same bytes, what the server ignores, and whether
// it holds the verifier to the declared method at all.
type Verdict struct {
	Took         []pkce.Method           `json:"took"`
	Refused      map[pkce.Method]Outcome `json:"refused"`
	Inconclusive []pkce.Method           `json:"inconclusive,omitempty"`
	SameBytes    [][2]pkce.Method        `json:"same_bytes,omitempty"`
	Ignores      []string                `json:"ignores,omitempty"`
	// Enforced is "yes" or "no" when the probe (a right challenge, a wrong verifier) was refused
	// or taken; without a probe, "yes" when a challenge of the S256 digest was taken and Zoom's
	// legacy one refused at the token endpoint (or the reverse), "no" when both were taken; else
	// "unknown".
	Enforced string `json:"pkce_enforced"`
	// Probe says what the probe showed, "" without one.
	Probe string `json:"probe,omitempty"`
	// AnyMethod: the server took both the S256 digest and Zoom's legacy challenge, both declared
	// S256: it tries more than one method.
	AnyMethod  bool     `json:"takes_more_than_one_method"`
	Advertised []string `json:"advertised,omitempty"` // code_challenge_methods_supported, when discovered
	Text       string   `json:"text"`
}

// The parts of a challenge that a server may ignore, named as the verdict says them.
const (
	IgnoresPadding  = "'=' padding"
	IgnoresAlphabet = "the base64 alphabet ('+/' read as '-_')"
)

// digestClass names what a method's challenge encodes: "S256" for the SHA-256 digest (S256,
// S256-padded, S256-std differ only in padding and alphabet), "legacy" for the hex text of it,
// "plain" for the verifier itself.
func digestClass(m pkce.Method) string {
	switch m {
	case pkce.S256, pkce.S256Padded, pkce.S256Std:
		return "S256"
	case pkce.ZoomLegacy:
		return "legacy"
	}
	return "plain"
}

// ReadVerdict reads the verdict off the lanes and the probe (nil when none ran). advertised is the
// server's code_challenge_methods_supported, or nil.
func ReadVerdict(lanes []Lane, advertised []string, probe *Result) Verdict {
	v := Verdict{Refused: map[pkce.Method]Outcome{}, Enforced: "unknown", Advertised: advertised}
	took := map[pkce.Method]bool{}
	for _, l := range lanes {
		if l.SameAs != "" {
			v.SameBytes = append(v.SameBytes, [2]pkce.Method{l.Method, l.SameAs})
		}
		switch o := LaneOutcome(l.Result); o {
		case Took:
			v.Took, took[l.Method] = append(v.Took, l.Method), true
		case RefusedAuthorize, RefusedToken:
			v.Refused[l.Method] = o
		default:
			v.Inconclusive = append(v.Inconclusive, l.Method)
		}
	}
	// Declared S256, the S256 family carries the digest and Zoom's legacy challenge encodes its hex
	// text: a server that computes one of them cannot take both. Read per method, not per value,
	// this holds across runs with different verifiers too (the Flow screen's).
	tookClass, refusedClass := map[string]bool{}, map[string]bool{}
	for m := range took {
		tookClass[digestClass(m)] = true
	}
	for m, o := range v.Refused {
		if o == RefusedToken {
			refusedClass[digestClass(m)] = true
		}
	}
	v.AnyMethod = tookClass["S256"] && tookClass["legacy"]
	switch {
	case probe != nil && LaneOutcome(probe) == Took:
		v.Enforced, v.Probe = "no", fmt.Sprintf("the %s challenge of one verifier, exchanged with another verifier, was taken", probe.Attempt.Challenge.Method)
	case probe != nil && LaneOutcome(probe) == RefusedToken:
		v.Enforced, v.Probe = "yes", fmt.Sprintf("the %s challenge of one verifier, exchanged with another verifier, was refused with invalid_grant", probe.Attempt.Challenge.Method)
	case probe != nil:
		v.Probe = "the probe failed before the server judged the verifier: " + string(probe.FailedStep())
		fallthrough
	case v.AnyMethod:
		if v.AnyMethod {
			v.Enforced = "no"
		}
	case (tookClass["S256"] && refusedClass["legacy"]) || (tookClass["legacy"] && refusedClass["S256"]):
		v.Enforced = "yes"
	}
	if v.Enforced == "no" || v.AnyMethod {
		// A server that checks nothing ignores everything, and one that tries several methods may
		// try the padded ones too: there is no lenience to name.
		v.Text = v.text()
		return v
	}
	if took[pkce.S256Padded] && took[pkce.S256] {
		v.Ignores = append(v.Ignores, IgnoresPadding)
	}
	if took[pkce.S256Std] && (took[pkce.S256] || took[pkce.S256Padded]) {
		if !slices.Contains(v.Ignores, IgnoresPadding) && took[pkce.S256] {
			v.Ignores = append(v.Ignores, IgnoresPadding)
		}
		v.Ignores = append(v.Ignores, IgnoresAlphabet)
	}
	v.Text = v.text()
	return v
}

// text says the verdict in a few sentences, facts only.
func (v Verdict) text() string {
	var b strings.Builder
	switch {
	case len(v.Took) == 0 && len(v.Refused) == 0:
		b.WriteString("no lane reached the point where the server judges PKCE (each failed first at client authentication, " +
			"the network or the callback: see why below), so this comparison says nothing about PKCE")
	case len(v.Took) == 0:
		b.WriteString("this server takes none of these methods")
	default:
		b.WriteString("this server takes " + pkce.Join(v.Took))
	}
	var refused []string
	for _, o := range []Outcome{RefusedAuthorize, RefusedToken} {
		var ms []pkce.Method
		for _, m := range pkce.Methods {
			if v.Refused[m] == o {
				ms = append(ms, m)
			}
		}
		if len(ms) > 0 {
			refused = append(refused, pkce.Join(ms)+" "+strings.TrimPrefix(string(o), "refused "))
		}
	}
	if len(refused) > 0 {
		b.WriteString("; it refuses " + strings.Join(refused, ", "))
	}
	b.WriteString(".")
	switch {
	case v.Probe != "" && v.Enforced == "yes":
		b.WriteString(" PKCE is enforced: " + v.Probe + ".")
	case v.Probe != "" && v.Enforced == "no":
		b.WriteString(" PKCE is not enforced: " + v.Probe + ", so the code is not bound to the challenge.")
	case v.Enforced == "no":
		b.WriteString(" A challenge of the SHA-256 digest and Zoom's legacy one (its hex text), both declared S256, both pass: it does not hold the verifier to the challenge (PKCE is not enforced).")
	case v.Enforced == "yes":
		b.WriteString(" It holds the verifier to the challenge: the challenge computed the other way is refused at the token endpoint (PKCE is enforced).")
	case v.Probe != "":
		b.WriteString(" Whether PKCE is enforced is not known: " + v.Probe + ".")
	}
	if v.AnyMethod && v.Enforced == "yes" {
		b.WriteString(" It takes both the SHA-256 digest and Zoom's legacy challenge declared S256: it tries more than one method, " +
			"so a challenge made the wrong way works here and fails on a server that holds to one.")
	}
	if len(v.Ignores) > 0 {
		carriers := "S256-padded is the S256 challenge with '=' appended"
		if slices.Contains(v.Ignores, IgnoresAlphabet) {
			carriers = "S256-padded and S256-std carry the S256 digest"
		}
		b.WriteString(" It ignores " + strings.Join(v.Ignores, " and ") + " when it compares challenges (" + carriers +
			"): lenience, not a second method.")
	}
	for _, s := range v.SameBytes {
		fmt.Fprintf(&b, " %s sent the same bytes as %s: one challenge, run once.", s[0], s[1])
	}
	if len(v.Inconclusive) > 0 {
		fmt.Fprintf(&b, " %s failed before the server judged PKCE: no verdict from %s.", pkce.Join(v.Inconclusive),
			map[bool]string{true: "it", false: "them"}[len(v.Inconclusive) == 1])
	}
	switch {
	case v.Advertised != nil && len(v.Advertised) == 0:
		b.WriteString(" Its metadata does not list code_challenge_methods_supported (RFC 8414 §2: then PKCE support is not advertised).")
	case v.Advertised != nil:
		fmt.Fprintf(&b, " It advertises code_challenge_methods_supported %v%s.", v.Advertised, advertisedAgrees(v))
	}
	return b.String()
}

// Short is the verdict in one line for a narrow screen: what was taken, what was refused where,
// whether PKCE is enforced, and what the server ignores.
func (v Verdict) Short() string {
	parts := []string{"takes " + cmpOr(pkce.Join(v.Took), "none")}
	for _, o := range []Outcome{RefusedAuthorize, RefusedToken} {
		var ms []pkce.Method
		for _, m := range pkce.Methods {
			if v.Refused[m] == o {
				ms = append(ms, m)
			}
		}
		if len(ms) > 0 {
			parts = append(parts, "refuses "+pkce.Join(ms)+" "+strings.TrimPrefix(string(o), "refused "))
		}
	}
	switch v.Enforced {
	case "yes":
		parts = append(parts, "PKCE enforced")
	case "no":
		parts = append(parts, "PKCE NOT enforced")
	}
	if v.AnyMethod && v.Enforced == "yes" {
		parts = append(parts, "tries more than one method")
	}
	if len(v.Ignores) > 0 {
		parts = append(parts, "ignores "+strings.Join(v.Ignores, " and "))
	}
	if len(v.Inconclusive) > 0 {
		parts = append(parts, pkce.Join(v.Inconclusive)+" failed before PKCE was judged")
	}
	return strings.Join(parts, " · ")
}

// advertisedAgrees compares what the server advertises with what it took.
func advertisedAgrees(v Verdict) string {
	var s []string
	for _, m := range v.Took {
		p := ChallengeMethodParam(m)
		if !slices.Contains(v.Advertised, p) {
			s = append(s, fmt.Sprintf("%s took %s though it is not advertised", m, p))
		}
	}
	for _, a := range v.Advertised {
		for m, o := range v.Refused {
			if m == pkce.S256 || m == pkce.Plain {
				if ChallengeMethodParam(m) == a {
					s = append(s, fmt.Sprintf("%s is advertised but %s was %s", a, m, o))
				}
			}
		}
	}
	if len(s) == 0 {
		return ", which agrees with what it did"
	}
	slices.Sort(s)
	return ": " + strings.Join(s, "; ")
}

// Mark is a step's outcome as one character: ✓ done, ✗ failed, – skipped, · not reached.
func (s Step) Mark() string {
	switch {
	case s.Skipped:
		return "–"
	case s.Done && s.OK:
		return "✓"
	case s.Done:
		return "✗"
	}
	return "·"
}

// Matrix draws the comparison as a table for a terminal: methods as columns, steps as rows, each
// cell a mark and, for a failed step, the server's error code. Server text is escaped.
func (c *Comparison) Matrix() string {
	const labelW, colW = 11, 20
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s", labelW, "")
	for _, l := range c.Lanes {
		fmt.Fprintf(&b, "%-*s", colW, l.Method)
	}
	b.WriteString("\n")
	for _, n := range Steps {
		fmt.Fprintf(&b, "%-*s", labelW, n)
		for _, l := range c.Lanes {
			st := *l.Result.Steps[n]
			cell := st.Mark()
			switch {
			case st.Skipped:
				cell += " skipped"
			case st.Done && !st.OK:
				code := termsafe.Escape(cmpOr(st.Error, "failed"))
				if r := []rune(code); len(r) > colW-3 {
					code = string(r[:colW-4]) + "…"
				}
				cell += " " + code
			}
			fmt.Fprintf(&b, "%-*s", colW, cell)
		}
		b.WriteString("\n")
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
