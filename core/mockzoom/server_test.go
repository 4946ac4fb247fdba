package mockzoom_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"zoomdbg/core/appctx"
	"zoomdbg/core/mockzoom"
)

func newServer(t *testing.T, auto bool) (*mockzoom.Server, *httptest.Server) {
	s := &mockzoom.Server{ClientID: "cid", ClientSecret: []byte("Zm0ckS3cretF0rZoomdbgOAuthTest01"), PKCE: mockzoom.ModeS256,
		AutoApprove: auto, User: mockzoom.User{ID: "u1", Email: "dev@example.com", MeetingID: "m1=="}}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return s, srv
}

// TestAppContext: the mock's app contexts open with the client secret, for the configured user.
func TestAppContext(t *testing.T) {
	s, srv := newServer(t, true)
	resp, err := http.Get(srv.URL + "/mock/app-context?typ=meeting")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	r := appctx.Inspect(string(b), appctx.DeriveAll([]appctx.Secret{{Label: "mock", Value: s.ClientSecret}}))
	if !r.OK() || string(r.Object["uid"]) != `"u1"` || string(r.Object["mid"]) != `"m1=="` || appctx.Expired(r.Object, time.Now()) {
		t.Fatalf("status %s, payload %s", r.Status(), r.Payload)
	}
}

func TestConsentPage(t *testing.T) {
	_, srv := newServer(t, false)
	q := url.Values{"response_type": {"code"}, "client_id": {"cid"}, "redirect_uri": {"http://127.0.0.1:1/cb"},
		"state": {"s<1>"}, "code_challenge": {"abc"}, "code_challenge_method": {"S256"}}
	resp, err := http.Get(srv.URL + "/oauth/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "Allow") || strings.Contains(string(page), "s<1>") {
		t.Fatalf("consent page missing or unescaped:\n%s", page)
	}
	c := http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = c.PostForm(srv.URL+"/oauth/authorize/approve", q)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc.Query().Get("code") == "" || loc.Query().Get("state") != "s<1>" {
		t.Fatalf("approve: %d %s", resp.StatusCode, loc)
	}
}

func TestEnforcingServerWantsAChallenge(t *testing.T) {
	_, srv := newServer(t, true)
	c := http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(srv.URL + "/oauth/authorize?response_type=code&client_id=cid&redirect_uri=http://127.0.0.1:1/cb&state=s")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("error") != "invalid_request" || !strings.Contains(loc.Query().Get("error_description"), "code_challenge") {
		t.Fatalf("no challenge: redirected to %s", loc)
	}
}

func TestTokenEndpointRefusals(t *testing.T) {
	_, srv := newServer(t, true)
	post := func(ct, body string) (int, map[string]string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/oauth/token", strings.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.SetBasicAuth("cid", "Zm0ckS3cretF0rZoomdbgOAuthTest01")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]string
		json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	if st, m := post("application/json", `{"grant_type":"authorization_code"}`); st != 400 || m["error"] != "invalid_request" {
		t.Errorf("JSON body: %d %v", st, m)
	}
	if st, m := post("application/x-www-form-urlencoded", "grant_type=password"); st != 400 || m["error"] != "unsupported_grant_type" {
		t.Errorf("password grant: %d %v", st, m)
	}
	if st, _ := post("application/x-www-form-urlencoded", "grant_type=authorization_code&code="+strings.Repeat("x", 100<<10)); st != 400 {
		t.Errorf("a 100 KiB body: %d, want 400 (bodies are limited)", st)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v2/users/me", nil)
	req.Header.Set("Authorization", "Bearer forged")
	resp, _ := http.DefaultClient.Do(req)
	var e map[string]any
	json.NewDecoder(resp.Body).Decode(&e)
	resp.Body.Close()
	if resp.StatusCode != 401 || e["code"] != float64(124) {
		t.Errorf("forged access token: %d %v", resp.StatusCode, e)
	}
}
