package harness

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/zoomdbg/zoomdbg/core/oauth"
)

// maxBrowserSteps bounds the pages a FormBrowser walks: authorize, login, resume, consent,
// resume, the redirect, with room to spare.
const maxBrowserSteps = 16

var (
	formRe  = regexp.MustCompile(`(?is)<form[^>]*\baction="([^"]*)"[^>]*>(.*?)</form>`)
	inputRe = regexp.MustCompile(`(?is)<input[^>]*>`)
	attrRe  = regexp.MustCompile(`(?is)\b(name|value)="([^"]*)"`)
)

// FormBrowser plays a user in a browser with cookies: it follows the authorization server's
// redirects, and on each page with a form (a login, a consent) fills what it asks (login and
// password with user, hidden fields as they are) and submits it, until the server redirects to the
// redirect URI; that redirect is delivered to the redirect URI (the test's listener) as a browser
// would. It drives the server's real login and consent over HTTP: nothing in the server is patched.
func FormBrowser(user string) func(ctx context.Context, authorizeURL string, timeout time.Duration) (string, error) {
	return func(ctx context.Context, authorizeURL string, timeout time.Duration) (string, error) {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		redirect, _ := url.Parse(authorizeURL)
		redirectURI := redirect.Query().Get("redirect_uri")
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, authorizeURL, nil)
		for range maxBrowserSteps {
			resp, err := client.Do(req)
			if err != nil {
				return "", err
			}
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
			if loc := resp.Header.Get("Location"); resp.StatusCode/100 == 3 && loc != "" {
				next, err := req.URL.Parse(loc)
				if err != nil {
					return "", err
				}
				if strings.HasPrefix(next.String(), redirectURI) {
					if err := oauth.ToRedirectURI(authorizeURL, next.String()); err != nil {
						return "", err
					}
					d, _ := http.NewRequestWithContext(ctx, http.MethodGet, next.String(), nil)
					if dr, err := http.DefaultClient.Do(d); err == nil {
						dr.Body.Close()
					}
					return next.String(), nil
				}
				req, _ = http.NewRequestWithContext(ctx, http.MethodGet, next.String(), nil)
				continue
			}
			m := formRe.FindSubmatch(body)
			if resp.StatusCode >= 400 || m == nil {
				return "", oauth.ReadAuthorizeRefusal(resp.StatusCode, body)
			}
			form := url.Values{}
			for _, in := range inputRe.FindAll(m[2], -1) {
				var name, value string
				for _, a := range attrRe.FindAllSubmatch(in, -1) {
					switch strings.ToLower(string(a[1])) {
					case "name":
						name = html.UnescapeString(string(a[2]))
					case "value":
						value = html.UnescapeString(string(a[2]))
					}
				}
				switch name {
				case "":
					continue
				case "login", "username", "email":
					value = user
				case "password":
					value = "any password"
				}
				form.Set(name, value)
			}
			action, err := req.URL.Parse(html.UnescapeString(string(m[1])))
			if err != nil {
				return "", fmt.Errorf("form action %q: %w", m[1], err)
			}
			req, _ = http.NewRequestWithContext(ctx, http.MethodPost, action.String(), strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		return "", fmt.Errorf("no redirect to %s after %d pages", redirectURI, maxBrowserSteps)
	}
}
