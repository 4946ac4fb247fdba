package cli_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zoomdbg/zoomdbg/cli"
	"github.com/zoomdbg/zoomdbg/core/mockzoom"
	"github.com/zoomdbg/zoomdbg/core/oauth"
)

// TestFlowPublicClientAgainstMock: the mock's --public client, from flow --mock with
// --client-auth none (not a usage error), completes; with a secret sent it is refused, and the
// compare does not blame PKCE for it.
func TestFlowPublicClientAgainstMock(t *testing.T) {
	s := &mockzoom.Server{ClientID: cli.MockClientID, PKCE: mockzoom.ModeS256, Public: true, AutoApprove: true,
		User: mockzoom.User{ID: "u-1", Email: "dev@example.com", AccountID: "a-1"}}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	base := []string{"flow", "--mock", srv.URL, "--follow", "--redirect-uri", "http://127.0.0.1:0/callback"}
	r := run(t, "", nil, append(base, "--client-auth", "none")...)
	if r.code != 0 || !strings.Contains(r.stdout, "sent as a public client") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", nil, "flow", "--mock", srv.URL, "--redirect-uri", "http://127.0.0.1:0/callback", "--compare", "--json")
	var out struct {
		Verdict string `json:"verdict"`
	}
	if json.Unmarshal([]byte(r.stdout), &out); r.code != 1 || !strings.Contains(out.Verdict, "says nothing about PKCE") {
		t.Fatalf("exit %d verdict %q\n%s", r.code, out.Verdict, r.stderr)
	}
}

// TestFlowBusyPort: a callback port in use is a runtime error that says the fix, and
// --callback-port chooses another.
func TestFlowBusyPort(t *testing.T) {
	base := startMock(t, mockzoom.ModeS256)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	r := run(t, "", nil, "flow", "--mock", base, "--follow", "--redirect-uri", "http://"+ln.Addr().String()+"/callback")
	if r.code != 3 || !strings.Contains(r.stderr, "is taken") || !strings.Contains(r.stderr, "--callback-port") || strings.Contains(r.stderr, "--help") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	r = run(t, "", nil, "flow", "--mock", base, "--follow", "--redirect-uri", "http://"+ln.Addr().String()+"/callback", "--callback-port", "0")
	if r.code != 0 {
		t.Fatalf("--callback-port 0: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestFlowSecretFiles: several --secret-file are tried in turn, and the one taken is named.
func TestFlowSecretFiles(t *testing.T) {
	base := startMock(t, mockzoom.ModeS256)
	dir := t.TempDir()
	write := func(name, v string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(v+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	dev, prod := write("dev.txt", "not-the-mock-secret"), write("prod.txt", cli.MockSecret)
	r := run(t, "", nil, "flow", "--mock", base, "--follow", "--redirect-uri", "http://127.0.0.1:0/callback",
		"--secret-file", dev, "--secret-file", prod)
	if r.code != 0 || !strings.Contains(r.stdout, "client authenticated with the secret prod.txt (dev.txt refused with invalid_client)") ||
		strings.Contains(r.stdout, cli.MockSecret) || strings.Contains(r.stdout, "not-the-mock-secret") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestFlowIssuer: --issuer with a path finds the metadata by discovery, fills in the endpoints,
// shows what the server advertises, and holds iss to the issuer.
func TestFlowIssuer(t *testing.T) {
	mock := &mockzoom.Server{ClientID: cli.MockClientID, ClientSecret: []byte(cli.MockSecret), PKCE: mockzoom.ModeS256, AutoApprove: true,
		User: mockzoom.User{ID: "u-1", Email: "dev@example.com", AccountID: "a-1"}}
	var issuer string
	mux := http.NewServeMux()
	mux.Handle("/tenant/", http.StripPrefix("/tenant", mock.Handler()))
	mux.HandleFunc("/.well-known/oauth-authorization-server/tenant", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": issuer, "authorization_endpoint": issuer + "/oauth/authorize",
			"token_endpoint": issuer + "/oauth/token", "code_challenge_methods_supported": []string{"S256"},
			"token_endpoint_auth_methods_supported": []string{"client_secret_basic"}})
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	issuer = srv.URL + "/tenant"
	r := run(t, "", nil, "flow", "--issuer", issuer, "--api-url", issuer+"/v2", "--client-id", cli.MockClientID, "--secret", cli.MockSecret,
		"--follow", "--redirect-uri", "http://127.0.0.1:0/callback")
	if r.code != 0 || !strings.Contains(r.stdout, "server: issuer "+issuer+" (metadata at "+srv.URL+"/.well-known/oauth-authorization-server/tenant)") ||
		!strings.Contains(r.stdout, "code_challenge_methods_supported S256") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", nil, "flow", "--issuer", issuer, "--api-url", issuer+"/v2", "--client-id", cli.MockClientID, "--secret", cli.MockSecret,
		"--redirect-uri", "http://127.0.0.1:0/callback", "--compare", "all")
	if r.code != 0 || !strings.Contains(r.stdout, "It advertises code_challenge_methods_supported [S256], which agrees with what it did") {
		t.Fatalf("compare: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", nil, "flow", "--issuer", srv.URL+"/nothing", "--client-id", "x", "--secret", "y")
	if r.code != 3 || !strings.Contains(r.stderr, "no authorization server metadata") {
		t.Fatalf("no metadata: exit %d\n%s", r.code, r.stderr)
	}
}

// TestFlowHostileTokenEndpoint: a server that echoes the request (the secret as the Basic
// credentials and percent-encoded) and sends a megabyte of error_description: the output, text
// and JSON, holds no form of the secret and says the description's length once, capped.
func TestFlowHostileTokenEndpoint(t *testing.T) {
	mock := &mockzoom.Server{ClientID: cli.MockClientID, ClientSecret: []byte(cli.MockSecret), PKCE: mockzoom.ModeS256, AutoApprove: true}
	mux := http.NewServeMux()
	mux.Handle("/", mock.Handler())
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_request",
			"error_description": r.Header.Get("Authorization") + " " + string(body) + " " + strings.Repeat("x", 1<<20-500)})
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, extra := range [][]string{{"--client-auth", "basic"}, {"--client-auth", "body", "--json"}} {
		r := run(t, "", nil, append([]string{"flow", "--mock", srv.URL, "--follow", "--redirect-uri", "http://127.0.0.1:0/callback"}, extra...)...)
		out := r.stdout + r.stderr
		if r.code != 1 || len(out) > 20_000 || !strings.Contains(out, "bytes in all") {
			t.Fatalf("%v: exit %d, %d bytes of output:\n%.2000s", extra, r.code, len(out), out)
		}
		for _, f := range []string{cli.MockSecret, oauth.BasicCredentials(cli.MockClientID, cli.MockSecret)} {
			if strings.Contains(out, f) {
				t.Fatalf("%v: the secret is shown as %q", extra, f)
			}
		}
	}
}
