package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"zoomdbg/core/appctx"
	"zoomdbg/core/oauth"
	"zoomdbg/core/pkce"
	"zoomdbg/core/termsafe"
)

// flowFlags are the settings of an OAuth flow, shared by `zoomdbg flow` and the Flow screen.
type flowFlags struct {
	mock, authorizeURL, tokenURL, apiURL string
	redirectURI, method, clientAuth      string
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
	cmd.Flags().StringVar(&f.clientAuth, "client-auth", string(oauth.AuthBasic), "how the token request authenticates: basic or body")
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
		ClientAuth: oauth.ClientAuth(f.clientAuth), Timeout: f.timeout}
	if len(secrets) > 0 {
		c.ClientSecret = secrets[0].Value
	}
	if f.mock != "" {
		c = c.ForServer(f.mock)
		if c.ClientID == "" {
			c.ClientID = MockClientID
		}
		if len(c.ClientSecret) == 0 {
			c.ClientSecret = []byte(MockSecret)
		}
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
	)
	cmd := &cobra.Command{
		Use:   "flow [--mock URL] [--method M] [--no-browser | --follow | --paste]",
		Short: "Run an OAuth authorization-code flow with PKCE, step by step, against Zoom or a mock",
		Long: `Run the whole flow: make a verifier and its challenge, print (and open) the authorize URL, take
the callback on the redirect URI and check its state, exchange the code (showing the exact request
and a curl equivalent), refresh, decode the access token, and ask /v2/users/me who it belongs to.

--follow plays the browser against a server that approves at once (zoomdbg mock-oauth).
--paste reads the redirected URL from standard input instead of listening, for a browser elsewhere.
Exit status 0 when every step succeeded, 1 when one failed, 2 on a usage error.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := ff.config(env, &src)
			if err != nil {
				return err
			}
			progress := env.Stdout
			if asJSON {
				progress = env.Stderr
			}
			r, err := runFlow(cmd.Context(), env, c, flowRun{follow: follow, paste: paste, open: !noOpen && !follow && !paste,
				refresh: refresh, wait: wait, progress: progress})
			if err != nil {
				return err
			}
			if asJSON {
				err = writeJSON(env.Stdout, flowJSON(r, reveal))
			} else {
				err = writeFlowText(env.Stdout, r, reveal)
			}
			if err != nil {
				return err
			}
			if !flowOK(r) {
				return exitError{ExitFailed}
			}
			return nil
		},
	}
	src.register(cmd)
	cmd.Flags().Lookup("client-id").Usage = "the app's client ID: sent as client_id to the authorize and token endpoints (with --mock and none given, the mock's)"
	ff.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object; progress goes to stderr")
	cmd.Flags().BoolVar(&reveal, "reveal", false, "show the client secret and tokens instead of masking them")
	cmd.Flags().BoolVar(&noOpen, "no-browser", false, "print the URL without opening a browser")
	cmd.Flags().BoolVar(&follow, "follow", false, "follow the authorize redirect yourself (mock or auto-approving server)")
	cmd.Flags().BoolVar(&paste, "paste", false, "read the redirected URL from standard input instead of listening")
	cmd.Flags().BoolVar(&refresh, "refresh", true, "use the refresh token once and check that it rotates")
	cmd.Flags().DurationVar(&wait, "wait", 3*time.Minute, "how long to wait for the callback")
	return cmd
}

type flowRun struct {
	follow, paste, open, refresh bool
	wait                         time.Duration
	progress                     io.Writer
}

// runFlow takes the steps in order, stopping at the first that fails. Its result holds every
// step's outcome; the error is only for a flow that could not start.
func runFlow(ctx context.Context, env *Env, c oauth.Config, o flowRun) (*oauth.Result, error) {
	var l *oauth.Listener
	if !o.paste {
		var err error
		if l, err = oauth.Listen(c.RedirectURI); err != nil {
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
	for _, n := range oauth.Steps {
		s := r.Steps[n]
		mark := "·"
		switch {
		case s.Skipped:
			mark = "–"
		case s.Done && s.OK:
			mark = "✓"
		case s.Done:
			mark = "✗"
		}
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
		fmt.Fprintf(&b, "\ntoken request:\n%s\n\nas curl:\n%s\n", indent(r.TokenRequest.Text(reveal)), indent(r.TokenRequest.Curl(reveal)))
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
		fmt.Fprintf(&b, "\nusers/me: %s <%s>, id %s, account %s\n", termsafe.Escape(r.Me.FirstName+" "+r.Me.LastName),
			termsafe.Escape(r.Me.Email), termsafe.Escape(r.Me.ID), termsafe.Escape(r.Me.AccountID))
	}
	_, err := io.WriteString(w, b.String())
	return err
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
		out["token_request"] = map[string]string{"http": r.TokenRequest.Text(reveal), "curl": r.TokenRequest.Curl(reveal)}
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
	return out
}
