package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/zoomdbg/zoomdbg/core/mockzoom"
	"github.com/zoomdbg/zoomdbg/core/pkce"
	"github.com/zoomdbg/zoomdbg/core/termsafe"
)

// The mock's default credentials: made-up values, published here, so that `zoomdbg mock-oauth` and
// `zoomdbg flow --mock URL` work together with no flags. They open nothing real.
const (
	MockClientID = "zoomdbgMockClientId001"
	MockSecret   = "Zm0ckS3cretF0rZoomdbgOAuthTest01"
)

// mockUser is who the mock's tokens belong to unless mock-oauth's flags say otherwise: the uid of
// the fixtures' and the demo's app contexts, so that the Flow screen ties them together.
var mockUser = mockzoom.User{ID: "MPjq6UmhQWWBP4Yuf-FARg", Email: "developer@example.com", AccountID: "zoomdbgMockAccount01",
	MeetingID: "oC9vs2aUQWaDxl7x3kQ7Mw==", FirstName: "Zoom", LastName: "Developer"}

// startDemoMock serves a mock Zoom with the built-in credentials on a loopback port, approving
// at once and enforcing S256, for the demo's Flow screen. stop shuts it down.
// demoMockMode is the PKCE policy of the demo's mock: Zoom's.
const demoMockMode = mockzoom.ModeZoom

// DemoMockPolicy says the demo mock's PKCE policy in words, for the Flow screen.
func DemoMockPolicy() string { return describePolicy(demoMockMode.Policy()) }

func startDemoMock() (base string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("demo: start the mock Zoom: %w", err)
	}
	// Zoom's policy as the README describes it (S256 per the RFC, plain allowed), so that the
	// lanes show what Zoom would do with each method.
	s := &mockzoom.Server{ClientID: MockClientID, ClientSecret: []byte(MockSecret), PKCE: demoMockMode, AutoApprove: true,
		User: mockUser}
	srv := s.HTTPServer()
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// describePolicy says a PKCE policy in a few words for the mock's banner.
func describePolicy(p mockzoom.Policy) string {
	if p.Ignore {
		return "off: no verifier is checked"
	}
	var parts []string
	if p.Lenient {
		parts = append(parts, "any known method accepted")
	}
	if p.AllowS256 {
		parts = append(parts, "S256 computed as "+map[bool]string{true: "the RFC's", false: "Zoom's legacy hex-then-base64"}[p.S256 == pkce.S256])
	}
	parts = append(parts, map[bool]string{true: "plain allowed (no method means plain)", false: "plain refused"}[p.AllowPlain])
	parts = append(parts, map[bool]string{true: "a challenge required", false: "a challenge checked when sent"}[p.Require])
	if p.IgnorePadding {
		parts = append(parts, "'=' padding ignored")
	}
	return strings.Join(parts, ", ")
}

func newMockOAuthCmd(env *Env) *cobra.Command {
	var (
		src       secretFlags
		mode      string
		s256      string
		plain     string
		require   bool
		noPad     bool
		public    bool
		redirects []string
		addr      string
		consent   bool
		user      mockzoom.User
	)
	cmd := &cobra.Command{
		Use:   "mock-oauth [--pkce MODE] [--addr 127.0.0.1:PORT]",
		Short: "Run a local Zoom-shaped OAuth server that enforces PKCE the way you choose",
		Long: `Run a server shaped like Zoom's OAuth endpoints on this machine, to try a PKCE flow before Zoom
enforces it, offline and in CI:

  GET  /oauth/authorize        approves at once (or shows a consent page with --consent)
  POST /oauth/token            authorization_code and refresh_token grants, Basic or body client auth
  GET  /v2/users/me            who the access token belongs to
  GET  /mock/app-context       a fresh app-context token for the user, sealed with the client secret

It answers as Zoom answers: a PKCE mismatch, a reused code and an expired code all get
{"reason":"Invalid authorization code","error":"invalid_grant"}, and the real cause is written only
to this log. Its authorize page refuses an unknown client_id (4702) or a redirect URL not on the
allow list (4700) with Zoom's JSON.

PKCE, per grant, from the code_challenge_method the client declared (absent means plain):
  --pkce zoom (default)   Zoom today: S256 per the RFC, plain allowed, a challenge checked when sent
  --pkce S256|zoom-legacy|plain|any|off   a shorthand; or set each part:
  --s256 rfc|zoom-legacy  what the server computes for S256
  --plain allow|refuse    whether plain (or no method) is accepted
  --require-pkce          refuse an authorization request without a challenge
  --ignore-padding        trim '=' from both challenges before comparing (go-oauth2/oauth2 v4 does)
  --public                the client is public: no secret, client_id in the body, PKCE required

Without a secret flag it uses the built-in mock credentials, which zoomdbg flow --mock uses too.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			m, ok := mockzoom.ParseMode(mode)
			if !ok {
				return usagef("--pkce %q: want zoom, off, S256, zoom-legacy, plain or any", mode)
			}
			policy := m.Policy()
			switch s256 {
			case "":
			case "rfc":
				policy.S256, policy.AllowS256 = pkce.S256, true
			case "zoom-legacy":
				policy.S256, policy.AllowS256 = pkce.ZoomLegacy, true
			default:
				return usagef("--s256 %q: want rfc or zoom-legacy", s256)
			}
			switch plain {
			case "":
			case "allow":
				policy.AllowPlain = true
			case "refuse":
				policy.AllowPlain = false
			default:
				return usagef("--plain %q: want allow or refuse", plain)
			}
			policy.Require = policy.Require || require
			policy.IgnorePadding = noPad
			secret, how, err := mockSecret(env, &src)
			if err != nil {
				return err
			}
			host, _, err := net.SplitHostPort(addr)
			if err != nil || !isLoopbackHost(host) {
				return usagef("--addr %q: the mock listens on loopback only (127.0.0.1:PORT)", addr)
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("listen: %w", err)
			}
			clientID := src.clientID
			if clientID == "" {
				clientID = MockClientID
			}
			if public {
				secret, how = nil, "none: a public client"
			}
			s := &mockzoom.Server{ClientID: clientID, ClientSecret: secret, Policy: &policy, Public: public, RedirectURIs: redirects,
				AutoApprove: !consent, User: user,
				Log: func(format string, args ...any) { fmt.Fprintln(env.Stdout, logLine(env.Now(), format, args...)) }}
			base := "http://" + ln.Addr().String()
			try := base
			if public {
				try += " --client-auth none" // the flow must not send a secret a public client does not have
			}
			fmt.Fprintf(env.Stdout, "mock Zoom OAuth on %s (PKCE: %s)\n  client id  %s\n  secret     %s\n"+
				"  app contexts: curl -s %s/mock/app-context\n  try:       zoomdbg flow --mock %s   (or the Flow screen: zoomdbg --screen flow --mock %s)\n",
				base, describePolicy(policy), clientID, how, base, try, try)
			srv := s.HTTPServer()
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			go func() {
				<-ctx.Done()
				shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				srv.Shutdown(shut)
			}()
			if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	src.register(cmd)
	cmd.Flags().Lookup("client-id").Usage = "the client ID the mock accepts (default " + MockClientID + "), and the aud of the app contexts it hands out"
	cmd.Flags().StringVar(&mode, "pkce", "zoom", "PKCE shorthand: zoom, off, S256, zoom-legacy, plain or any")
	cmd.Flags().StringVar(&s256, "s256", "", "what the server computes for S256: rfc or zoom-legacy (overrides --pkce)")
	cmd.Flags().StringVar(&plain, "plain", "", "plain (and no method): allow or refuse (overrides --pkce)")
	cmd.Flags().BoolVar(&require, "require-pkce", false, "refuse an authorization request without a code_challenge")
	cmd.Flags().BoolVar(&noPad, "ignore-padding", false, "compare challenges with '=' trimmed, as github.com/go-oauth2/oauth2 v4 does")
	cmd.Flags().BoolVar(&public, "public", false, "register the client as public: no secret, PKCE required")
	cmd.Flags().StringSliceVar(&redirects, "redirect-uri", nil, "redirect URLs on the app's allow list (default: any)")
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:0", "loopback address to listen on (port 0 picks one)")
	cmd.Flags().BoolVar(&consent, "consent", false, "show a consent page instead of approving at once")
	user = mockUser
	cmd.Flags().StringVar(&user.ID, "user-id", mockUser.ID, "the user's Zoom ID (the uid of app contexts)")
	cmd.Flags().StringVar(&user.Email, "user-email", mockUser.Email, "the user's email, from /v2/users/me")
	cmd.Flags().StringVar(&user.AccountID, "account-id", mockUser.AccountID, "the user's account ID")
	cmd.Flags().StringVar(&user.MeetingID, "meeting-id", mockUser.MeetingID, "the meeting UUID (mid) of app contexts")
	return cmd
}

// logLine writes one request of the mock's log. A request path is the client's to choose: it is
// escaped, so a request cannot drive the terminal the log is read in.
func logLine(now time.Time, format string, args ...any) string {
	return now.Format("15:04:05") + "  " + termsafe.Escape(fmt.Sprintf(format, args...))
}

// mockSecret picks the mock's client secret and says where it came from, without showing it.
func mockSecret(env *Env, src *secretFlags) ([]byte, string, error) {
	secrets, err := src.read(env)
	if err != nil {
		return nil, "", err
	}
	if len(secrets) == 0 {
		return []byte(MockSecret), "the built-in mock secret (see the README; it opens nothing real)", nil
	}
	return secrets[0].Value, fmt.Sprintf("from %s (not shown)", secrets[0].Label), nil
}

func isLoopbackHost(h string) bool {
	ip := net.ParseIP(h)
	return h == "localhost" || (ip != nil && ip.IsLoopback())
}
