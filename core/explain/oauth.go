package explain

// OAuth 2.0 errors as Zoom's token endpoint returns them, Zoom client and Marketplace messages, and
// what zoomdbg's own check reports.
func init() {
	Register(
		Message{Language: "OAuth 2.0 (Zoom's token endpoint)", Message: "invalid_grant", Patterns: []string{"invalid_grant"},
			Means: "the token endpoint refused the authorization code, the refresh token or the PKCE verifier",
			Causes: []string{"the code was already used, or is older than its few minutes: each code is exchanged once (a retry or a double-mounted React effect sends it twice)",
				"code_verifier does not match the code_challenge sent to /oauth/authorize: compare them with zoomdbg pkce (S256 is BASE64URL-NOPAD(SHA-256(verifier)))",
				"redirect_uri differs from the one the code was issued for, by a character or a trailing slash",
				"a refresh token that was already rotated: Zoom issues a new one with each refresh; store it"}},
		Message{Language: "Zoom (OAuth)", Message: "Invalid authorization code", Patterns: []string{"invalid authorization code"},
			Means:  "Zoom's description of an invalid_grant for the code",
			Causes: []string{"the code was already used or has expired; exchange it once, at once", "the code was issued to another client ID or redirect URI"}},
		Message{Language: "OAuth 2.0 (Zoom's token endpoint)", Message: "invalid_client", Patterns: []string{"invalid_client", "invalid client_id or client_secret"},
			Means: "the token endpoint did not authenticate the client",
			Causes: []string{"client ID and secret are from different apps or environments (Development and Production differ)",
				"the Basic header was built wrongly: base64(client_id + \":\" + client_secret), each URL-encoded first (RFC 6749 §2.3.1)",
				"the secret has whitespace around it (a trailing newline in an env file)"}},
		Message{Language: "OAuth 2.0", Message: "invalid_request", Patterns: []string{"invalid_request"},
			Means:  "a parameter is missing, repeated or malformed",
			Causes: []string{"code_verifier or redirect_uri is missing from the token request", "the body was sent as JSON: the token endpoint takes application/x-www-form-urlencoded"}},
		Message{Language: "Zoom (OAuth)", Message: "Invalid redirect", Patterns: []string{"invalid redirect", "redirect_uri_mismatch"},
			Means:  "the redirect_uri is not one the app allows",
			Causes: []string{"the redirect URL is not in the app's allow list on the Marketplace, exactly (scheme, host, path, trailing slash)"}},
		Message{Language: "OAuth 2.0", Message: "unsupported_grant_type", Patterns: []string{"unsupported_grant_type"},
			Means:  "grant_type is not one the server takes",
			Causes: []string{"grant_type is misspelled or sent outside the form body (authorization_code, refresh_token)"}},
		Message{Language: "OAuth 2.0", Message: "access_denied", Patterns: []string{"access_denied"},
			Means:  "the user (or an admin policy) refused the authorization",
			Causes: []string{"the user clicked Decline, or the account's admin has not pre-approved the app"}},
		Message{Language: "Zoom (API)", Message: "Invalid access token", Patterns: []string{"invalid access token", "access token is expired"},
			Means:  "an API call carried an access token Zoom does not accept (code 124)",
			Causes: []string{"the token expired after its hour: refresh it", "the app context or another value was sent as the bearer token"}},
		Message{Language: "Zoom client", Message: "Missing OWASP Secure Headers", Patterns: []string{"owasp"},
			Means: "the Zoom client refuses to load an app page that lacks the security headers Zoom Apps require",
			Causes: []string{"the home URL's response lacks Strict-Transport-Security, X-Content-Type-Options: nosniff, Content-Security-Policy or Referrer-Policy",
				"the headers are set on some routes only: the first page, every redirect and the page after OAuth all need them (zoomdbg check tests the home URL)"}},
		Message{Language: "Zoom client", Message: "domain is not in the domain allow list", Patterns: []string{"allow list", "domain allowlist", "not whitelisted"},
			Means:  "the app navigated or fetched from a domain the Marketplace configuration does not allow",
			Causes: []string{"add the domain (including the OAuth and API hosts the page loads) to the app's Domain Allow List"}},
	)
}
