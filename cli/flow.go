package cli

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/oauth"
	"github.com/zoomdbg/zoomdbg/core/pkce"
	"github.com/zoomdbg/zoomdbg/core/termsafe"
)

// flowFlags are the settings of an OAuth flow, shared by `zoomdbg flow` and the Flow screen.
type flowFlags struct {
	mock, authorizeURL, tokenURL, apiURL string
	redirectURI, method, clientAuth      string
	issuer, prompt                       string
	callbackPort                         int
	inClient                             bool
	scopes                               []string
	timeout                              time.Duration
}

func (f *flowFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.mock, "mock", "", "base URL of a Zoom-shaped server, such as zoomdbg mock-oauth's")
	cmd.Flags().StringVar(&f.authorizeURL, "authorize-url", oauth.ZoomAuthorizeURL, "authorization endpoint")
	cmd.Flags().StringVar(&f.tokenURL, "token-url", oauth.ZoomTokenURL, "token endpoint")
	cmd.Flags().StringVar(&f.apiURL, "api-url", oauth.ZoomAPIURL, "API base, for /users/me")
	cmd.Flags().StringVar(&f.redirectURI, "redirect-uri", oauth.DefaultRedirectURI, "redirect URI registered with the app (loopback: zoomdbg listens there)")
	cmd.Flags().StringVar(&f.method, "method", string(pkce.S256), "challenge method: S256, zoom-legacy, plain, S256-padded or S256-std")
	cmd.Flags().StringVar(&f.clientAuth, "client-auth", string(oauth.AuthBasic), "how the token request authenticates: basic, body, or none (a public client)")
	cmd.Flags().StringVar(&f.issuer, "issuer", "", "the authorization server's issuer URL: its metadata (RFC 8414, OpenID discovery) fills in the endpoints, and iss is held to it")
	cmd.Flags().StringVar(&f.prompt, "prompt", "", "prompt to send with the authorize request: consent, login or none (offline_access often needs consent)")
	cmd.Flags().IntVar(&f.callbackPort, "callback-port", -1, "port of the loopback redirect URI, in place of the one in --redirect-uri (0: any free port; register it with the app)")
	cmd.Flags().StringSliceVar(&f.scopes, "scopes", nil, "scopes to ask for (default: the app's)")
	cmd.Flags().DurationVar(&f.timeout, "timeout", 15*time.Second, "timeout of each HTTP request")
}

// config builds the flow's settings from the flags and the secret sources, and validates them.
func (f *flowFlags) config(env *Env, src *secretFlags) (oauth.Config, error) {
	secrets, err := src.read(env)
	if err != nil {
		return oauth.Config{}, err
	}
	c, err := f.settings(secrets, src.clientID)
	if err != nil {
		return c, err
	}
	if len(c.OtherSecrets) > 0 && c.InClient {
		return c, usagef("--in-client takes one secret")
	}
	if err := c.Validate(); err != nil {
		return c, usagef("%v", err)
	}
	return c, nil
}

// settings builds the flow's settings without validating them (the Flow screen shows what is
// wrong). Against --mock with no client ID or secret given, the mock's built-in credentials are used.
// unset reports whether no flag chose a server for the flow.
func (f *flowFlags) unset() bool {
	return f.mock == "" && f.authorizeURL == oauth.ZoomAuthorizeURL && f.tokenURL == oauth.ZoomTokenURL && f.apiURL == oauth.ZoomAPIURL
}

func (f *flowFlags) settings(secrets []appctx.Secret, clientID string) (oauth.Config, error) {
	m, ok := pkce.ParseMethod(f.method)
	if !ok {
		return oauth.Config{}, usagef("--method %q: want S256, zoom-legacy, plain, S256-padded or S256-std", f.method)
	}
	c := oauth.Config{ClientID: clientID, RedirectURI: f.redirectURI, Scopes: f.scopes,
		AuthorizeURL: f.authorizeURL, TokenURL: f.tokenURL, APIURL: f.apiURL, Method: m,
		ClientAuth: oauth.ClientAuth(f.clientAuth), Timeout: f.timeout, InClient: f.inClient, Prompt: f.prompt}
	if f.callbackPort >= 0 {
		u, err := url.Parse(f.redirectURI)
		if err != nil || u.Host == "" || f.callbackPort > 65535 {
			return c, usagef("--callback-port %d with --redirect-uri %q: want a port from 0 to 65535 and an absolute redirect URI", f.callbackPort, f.redirectURI)
		}
		u.Host = net.JoinHostPort(u.Hostname(), strconv.Itoa(f.callbackPort))
		c.RedirectURI = u.String()
	}
	if c.ClientAuth != oauth.AuthNone { // a public client sends no secret, whatever is at hand
		for i, s := range secrets {
			if i == 0 {
				c.ClientSecret, c.SecretLabel = s.Value, s.Label
				continue
			}
			c.OtherSecrets = append(c.OtherSecrets, oauth.NamedSecret{Label: s.Label, Value: s.Value})
		}
	}
	if f.mock != "" {
		c = c.ForServer(f.mock)
		if c.ClientID == "" {
			c.ClientID = MockClientID
		}
		if len(c.ClientSecret) == 0 && c.ClientAuth != oauth.AuthNone {
			c.ClientSecret, c.SecretLabel = []byte(MockSecret), "the built-in mock secret"
		}
	}
	if f.issuer != "" && f.mock == "" {
		if c.AuthorizeURL == oauth.ZoomAuthorizeURL {
			c.AuthorizeURL = ""
		}
		if c.TokenURL == oauth.ZoomTokenURL {
			c.TokenURL = ""
		}
		if c.APIURL == oauth.ZoomAPIURL {
			c.APIURL = ""
		}
		ctx, cancel := context.WithTimeout(context.Background(), cmp.Or(f.timeout, 15*time.Second))
		defer cancel()
		md, err := oauth.Discover(ctx, nil, f.issuer, cmp.Or(f.timeout, 15*time.Second))
		if err != nil {
			return c, fmt.Errorf("--issuer: %w", err)
		}
		c = c.FromMetadata(md)
	} else if f.issuer != "" {
		c.Issuer = f.issuer
	}
	return c.WithDefaults(), nil
}

func newFlowCmd(env *Env) *cobra.Command {
	var (
		src     secretFlags
		ff      flowFlags
		asJSON  bool
		reveal  bool
		noOpen  bool
		follow  bool
		paste   bool
		refresh bool
		wait    time.Duration
		compare string
		client  bool
	)
	cmd := &cobra.Command{
		Use:   "flow [--mock URL] [--method M] [--no-browser | --follow | --paste]",
		Short: "Run an OAuth authorization-code flow with PKCE, step by step, against Zoom or a mock",
		Long: `Run the whole flow: make a verifier and its challenge, print (and open) the authorize URL, take
the callback on the redirect URI and check its state, exchange the code (showing the exact request
and a curl equivalent), refresh, decode the access token, and ask /v2/users/me who it belongs to.

--follow plays the browser against a server that approves at once (zoomdbg mock-oauth).
--paste reads the redirected URL from standard input instead of listening, for a browser elsewhere.
--compare [METHODS] runs one flow per challenge method (S256,zoom-legacy by default; all for the
five) against the same server and settings, following the redirect itself, and prints a matrix:
methods as columns, steps as rows, and which methods the server takes.

Exit status 0 when every step succeeded (with --compare, when at least one method completed), 1
when one failed, 2 on a usage error.`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// "--compare all" as people type it: pflag takes a bare --compare, and the word after
			// it arrives as an argument.
			if len(args) == 1 {
				if !cmd.Flags().Changed("compare") || compare != defaultCompare {
					return usagef("unexpected argument %q (flow takes flags only; --compare=METHODS)", args[0])
				}
				compare = args[0]
			}
			var methods []pkce.Method
			if compare != "" {
				var err error
				if methods, err = compareMethods(compare); err != nil {
					return err
				}
			}
			if client {
				ff.inClient = true
				if !cmd.Flags().Changed("method") {
					ff.method = string(pkce.Plain) // zoomSdk.authorize documents plain only
				}
			}
			c, err := ff.config(env, &src)
			if err != nil {
				return err
			}
			progress := env.Stdout
			if asJSON {
				progress = env.Stderr
			}
			if compare != "" {
				return runCompare(cmd.Context(), env, c, methods, refresh, asJSON)
			}
			r, err := runFlow(cmd.Context(), env, c, flowRun{follow: follow, paste: paste, open: !noOpen && !follow && !paste,
				refresh: refresh, wait: wait, progress: progress})
			if err != nil {
				return err
			}
			return emit(env, asJSON, func() any { return flowJSON(r, reveal) },
				func(w io.Writer) error { return writeFlowText(w, r, reveal) }, flowOK(r))
		},
	}
	src.register(cmd)
	cmd.Flags().Lookup("client-id").Usage = "the app's client ID: sent as client_id to the authorize and token endpoints (with --mock and none given, the mock's)"
	ff.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object; progress goes to stderr")
	cmd.Flags().BoolVar(&reveal, "reveal", false, "show the tokens instead of masking them (never the client secret)")
	cmd.Flags().BoolVar(&noOpen, "no-browser", false, "print the URL without opening a browser")
	cmd.Flags().BoolVar(&follow, "follow", false, "follow the authorize redirect yourself (mock or auto-approving server)")
	cmd.Flags().BoolVar(&paste, "paste", false, "read the redirected URL from standard input instead of listening")
	cmd.Flags().BoolVar(&refresh, "refresh", true, "use the refresh token once and check that it rotates")
	cmd.Flags().DurationVar(&wait, "wait", 3*time.Minute, "how long to wait for the callback")
	cmd.Flags().BoolVar(&client, "in-client", false, "walk a Zoom App's in-client OAuth: zoomSdk.authorize, onAuthorized, the backend's exchange (against a mock; plain by default)")
	cmd.Flags().StringVar(&compare, "compare", "", "run one flow per method and print a matrix: METHODS, comma-separated, or all")
	cmd.Flags().Lookup("compare").NoOptDefVal = defaultCompare
	return cmd
}

// defaultCompare is what a bare --compare compares: the RFC's method and Zoom's legacy one.
const defaultCompare = "S256,zoom-legacy"

func compareMethods(s string) ([]pkce.Method, error) {
	if strings.EqualFold(strings.TrimSpace(s), "all") {
		return pkce.Methods, nil
	}
	var ms []pkce.Method
	for _, name := range strings.Split(s, ",") {
		m, ok := pkce.ParseMethod(strings.TrimSpace(name))
		if !ok {
			return nil, usagef("--compare %q: want methods among S256, zoom-legacy, plain, S256-padded, S256-std, or all", name)
		}
		ms = append(ms, m)
	}
	return ms, nil
}

// compareLane is one method's run in a comparison.
type compareLane struct {
	Method     pkce.Method     `json:"method"`
	Challenge  string          `json:"challenge"`
	Outcome    oauth.Outcome   `json:"outcome"`
	SameAs     pkce.Method     `json:"same_bytes_as,omitempty"`
	OK         bool            `json:"ok"`
	FailedStep *oauth.StepName `json:"failed_step"`
	Steps      []oauth.Step    `json:"steps"`
	result     *oauth.Result
}

// runCompare runs one flow per method against the same settings, from one verifier, and prints
// them side by side with the verdict.
func runCompare(ctx context.Context, env *Env, c oauth.Config, methods []pkce.Method, refresh, asJSON bool) error {
	res, err := oauth.Compare(ctx, c, methods, refresh, env.Rand)
	if err != nil {
		return err
	}
	var lanes []compareLane
	anyOK := false
	for _, l := range res.Lanes {
		r := l.Result
		lane := compareLane{Method: l.Method, Challenge: pkce.Value(l.Method, res.Verifier), Outcome: oauth.LaneOutcome(r),
			SameAs: l.SameAs, OK: r.Completed(), result: r}
		for _, n := range oauth.Steps {
			lane.Steps = append(lane.Steps, *r.Steps[n])
		}
		if n := r.FailedStep(); n != "" {
			lane.FailedStep = &n
		}
		anyOK = anyOK || lane.OK
		lanes = append(lanes, lane)
	}
	return emit(env, asJSON, func() any {
		out := map[string]any{"ok": anyOK, "verifier": res.Verifier, "verdict": res.Verdict.Text, "verdict_facts": res.Verdict, "compare": lanes}
		if c.Metadata != nil {
			out["metadata"] = c.Metadata
		}
		return out
	}, func(w io.Writer) error { return writeCompareText(w, c, res, lanes) }, anyOK)
}

// stepMark is a step's outcome as one character: ✓ done, ✗ failed, – skipped, · not reached.
func stepMark(s oauth.Step) string { return s.Mark() }

func writeCompareText(w io.Writer, c oauth.Config, res *oauth.Comparison, lanes []compareLane) error {
	var b strings.Builder
	if c.Metadata != nil {
		fmt.Fprintf(&b, "server: %s\n", termsafe.Escape(c.Metadata.Summary()))
	}
	fmt.Fprintf(&b, "one verifier for every lane: %s\n\n%s\n", res.Verifier, res.Matrix())
	verdict := res.Verdict.Text
	fmt.Fprintf(&b, "\n%s\n", verdict)
	for _, l := range lanes {
		if l.FailedStep == nil || l.SameAs != "" {
			continue
		}
		st := l.result.Steps[*l.FailedStep]
		fmt.Fprintf(&b, "\n%s fails at %s: %s\n", l.Method, *l.FailedStep, termsafe.Escape(st.Detail))
		for i, c := range st.Causes {
			fmt.Fprintf(&b, "  %d. %s\n", i+1, termsafe.Escape(c))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type flowRun struct {
	follow, paste, open, refresh bool
	wait                         time.Duration
	progress                     io.Writer
}

// runFlow takes the steps in order, stopping at the first that fails. Its result holds every
// step's outcome; the error is only for a flow that could not start.
func runFlow(ctx context.Context, env *Env, c oauth.Config, o flowRun) (*oauth.Result, error) {
	if c.InClient { // no browser, no listener: the mock plays the Zoom client
		r := oauth.RunFollowed(ctx, c, o.refresh)
		fmt.Fprintf(o.progress, "in-client: the app's frontend called\n  %s\n", r.Attempt.URL)
		return r, nil
	}
	var l *oauth.Listener
	if !o.paste {
		var err error
		if l, err = oauth.Listen(c.RedirectURI); err != nil {
			if errors.Is(err, oauth.ErrPortBusy) {
				return nil, err // a runtime problem, with its fix in the message
			}
			return nil, usagef("%v (use --paste to take the redirected URL by hand)", err)
		}
		defer l.Close()
		c.RedirectURI = l.RedirectURI(c.RedirectURI)
	}
	a, err := oauth.NewAttempt(c, "", env.Rand)
	if err != nil {
		return nil, err
	}
	r := oauth.NewResult(a)
	fmt.Fprintf(o.progress, "authorize URL (%s challenge):\n  %s\n", c.Method, a.URL)

	var cb oauth.Callback
	switch {
	case o.paste:
		fmt.Fprintln(o.progress, "paste the URL your browser was redirected to, then press enter:")
		line, _ := bufio.NewReader(env.Stdin).ReadString('\n')
		cb, err = oauth.ParseCallback(line, a.State)
	default:
		l.Expect(a.State)
		if o.follow {
			if _, ferr := oauth.Follow(ctx, nil, a.URL, c.Timeout); ferr != nil {
				r.Fail(oauth.StepAuthorize, ferr) // the authorize request is what failed
				return r, nil
			}
		} else if o.open && oauth.OpenBrowser(a.URL) {
			fmt.Fprintln(o.progress, "opened in your browser")
		}
		fmt.Fprintf(o.progress, "waiting for the callback on %s ...\n", c.RedirectURI)
		wctx, cancel := context.WithTimeout(ctx, o.wait)
		cb, err = l.Wait(wctx)
		cancel()
	}
	if !r.TakeCallback(cb, err) || !r.Exchange(ctx, nil) {
		return r, nil
	}
	if o.refresh && !r.Refresh(ctx, nil) {
		return r, nil
	}
	r.FetchMe(ctx, nil)
	return r, nil
}

func flowOK(r *oauth.Result) bool {
	for _, s := range r.Steps {
		if s.Done && !s.OK {
			return false
		}
	}
	return r.Steps[oauth.StepMe].OK
}

func writeFlowText(w io.Writer, r *oauth.Result, reveal bool) error {
	var b strings.Builder
	b.WriteString("\n")
	if m := r.Attempt.Config.Metadata; m != nil {
		fmt.Fprintf(&b, "server: %s\n\n", termsafe.Escape(m.Summary()))
	}
	for _, n := range oauth.Steps {
		s := r.Steps[n]
		mark := stepMark(*s)
		detail := s.Detail
		if !s.Done {
			detail = "not reached"
		}
		fmt.Fprintf(&b, "%s %-9s %s\n", mark, n, termsafe.Escape(detail))
		for i, c := range s.Causes {
			if i == 0 {
				b.WriteString("            likely causes, most likely first:\n")
			}
			fmt.Fprintf(&b, "            %d. %s\n", i+1, termsafe.Escape(c))
		}
	}
	if r.TokenRequest != nil {
		fmt.Fprintf(&b, "\ntoken request:\n%s\n\nas curl:\n%s\n", indent(r.TokenRequest.Text(false)), indent(r.TokenRequest.Curl(false)))
	}
	if r.TokenResponse != nil {
		fmt.Fprintf(&b, "\ntoken response: HTTP %d\n%s\n", r.TokenResponse.Status, indent(termsafe.Escape(r.TokenBody(reveal))))
	}
	if r.JWT != nil {
		fmt.Fprintf(&b, "\naccess token claims (signature not checked):\n")
		for _, k := range r.JWT.Names() {
			fmt.Fprintf(&b, "  %-10s %s\n", termsafe.Escape(k), termsafe.Escape(r.JWT.ClaimText(k)))
		}
	}
	if r.Me != nil {
		fmt.Fprintf(&b, "\nusers/me: %s\n", termsafe.Escape(meLine(r.Me)))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// meLine says who the token belongs to with what the server gave: Zoom's users/me has a name, an
// email and an account; an OpenID provider's userinfo may have only sub.
func meLine(m *oauth.Me) string {
	var parts []string
	if name := strings.TrimSpace(m.FirstName + " " + m.LastName); name != "" {
		parts = append(parts, name)
	}
	if m.Email != "" {
		parts = append(parts, "<"+m.Email+">")
	}
	s := strings.Join(parts, " ")
	if s != "" {
		s += ", "
	}
	s += "id " + m.ID
	if m.AccountID != "" {
		s += ", account " + m.AccountID
	}
	return s
}

func indent(s string) string { return "  " + strings.ReplaceAll(s, "\n", "\n  ") }

func flowJSON(r *oauth.Result, reveal bool) any {
	steps := []oauth.Step{}
	for _, n := range oauth.Steps {
		steps = append(steps, *r.Steps[n])
	}
	out := map[string]any{"ok": flowOK(r), "method": r.Attempt.Challenge.Method, "authorize_url": r.Attempt.URL,
		"verifier": r.Attempt.Verifier, "challenge": r.Attempt.Challenge.Value, "steps": steps}
	if r.TokenRequest != nil {
		// --reveal shows tokens, never the client secret: the request is always masked.
		out["token_request"] = map[string]string{"http": r.TokenRequest.Text(false), "curl": r.TokenRequest.Curl(false)}
	}
	if r.TokenResponse != nil {
		out["token_response"] = map[string]any{"status": r.TokenResponse.Status, "body": r.TokenBody(reveal)}
	}
	if r.JWT != nil {
		out["access_token_claims"] = r.JWT.Claims
	}
	if r.Me != nil {
		out["me"] = r.Me
	}
	if m := r.Attempt.Config.Metadata; m != nil {
		out["metadata"] = m
	}
	return out
}
