package check

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
)

// Language is what the backend is written in, as its answers tell: a header its framework sets,
// a session cookie's name, or an error page.
type Language struct {
	Name     string `json:"name"`     // as people say it: PHP, Ruby, Python, Java, Node.js, Go, .NET
	Snippet  string `json:"snippet"`  // the zoomdbg snippet for it; "" when there is none
	Evidence string `json:"evidence"` // what told it
}

type langID int

const (
	langUnknown langID = iota
	langPHP
	langRuby
	langPython
	langJava
	langNode
	langGo
	langDotNet
)

var langNames = map[langID][2]string{ // name, snippet
	langPHP: {"PHP", "php"}, langRuby: {"Ruby", "ruby"}, langPython: {"Python", "python"}, langJava: {"Java", "java"},
	langNode: {"Node.js", "node"}, langGo: {"Go", "go"}, langDotNet: {".NET", ""},
}

// signs are what a header value, a cookie name or a body says of the language, in the order
// they are trusted: a header a framework sets names it outright; an error page only hints.
var (
	headerSigns = []struct {
		header, sub string
		lang        langID
	}{
		{"X-Powered-By", "php", langPHP}, {"X-Powered-By", "express", langNode}, {"X-Powered-By", "next.js", langNode},
		{"X-Powered-By", "asp.net", langDotNet}, {"X-Powered-By", "servlet", langJava}, {"X-Powered-By", "jsp", langJava},
		{"X-Powered-By", "phusion passenger", langRuby},
		{"Server", "werkzeug", langPython}, {"Server", "gunicorn", langPython}, {"Server", "uvicorn", langPython},
		{"Server", "hypercorn", langPython}, {"Server", "python", langPython}, {"Server", "wsgiserver", langPython},
		{"Server", "daphne", langPython}, {"Server", "tornadoserver", langPython},
		{"Server", "webrick", langRuby}, {"Server", "puma", langRuby}, {"Server", "ruby", langRuby}, {"Server", "thin", langRuby},
		{"Server", "jetty", langJava}, {"Server", "apache-coyote", langJava}, {"Server", "tomcat", langJava},
		{"Server", "undertow", langJava}, {"Server", "wildfly", langJava},
		{"Server", "kestrel", langDotNet}, {"Server", "microsoft-iis", langDotNet}, {"Server", "microsoft-httpapi", langDotNet},
	}
	cookieSigns = []struct {
		name string
		lang langID
	}{
		{"PHPSESSID", langPHP}, {"JSESSIONID", langJava}, {"connect.sid", langNode}, {"rack.session", langRuby},
		{"_session_id", langRuby}, {"ASP.NET_SessionId", langDotNet}, {".AspNetCore.", langDotNet}, {"csrftoken", langPython},
	}
	bodySigns = []struct {
		sub  string
		lang langID
	}{
		{"Traceback (most recent call last)", langPython}, {"javax.crypto.", langJava}, {"java.lang.", langJava},
		{"\tat java.", langJava}, {"node:internal", langNode}, {"at Object.<anonymous>", langNode},
		{"Stack trace:\n#0", langPHP}, {".php on line", langPHP}, {"OpenSSL::Cipher::CipherError", langRuby},
		{".rb:", langRuby}, {"goroutine ", langGo}, {"http: panic serving", langGo}, {"System.Security.Cryptography", langDotNet},
	}
)

// seenAnswer is what the language is read from.
type seenAnswer struct {
	status int
	header http.Header
	body   []byte
}

// detect reads the language from the answers, the most trusted sign first.
func detect(answers []seenAnswer) *Language {
	found := func(id langID, evidence string) *Language {
		n := langNames[id]
		return &Language{Name: n[0], Snippet: n[1], Evidence: evidence}
	}
	for _, s := range headerSigns {
		for _, a := range answers {
			if v := a.header.Get(s.header); strings.Contains(strings.ToLower(v), s.sub) {
				return found(s.lang, s.header+": "+clip(v, 60))
			}
		}
	}
	for _, s := range cookieSigns {
		for _, a := range answers {
			for _, c := range a.header.Values("Set-Cookie") {
				if name, _, _ := strings.Cut(c, "="); strings.HasPrefix(strings.TrimSpace(name), s.name) {
					return found(s.lang, "a "+s.name+" session cookie")
				}
			}
		}
	}
	for _, s := range bodySigns {
		for _, a := range answers {
			if bytes.Contains(a.body, []byte(s.sub)) {
				return found(s.lang, fmt.Sprintf("%q in an error page", strings.TrimSpace(s.sub)))
			}
		}
	}
	for _, a := range answers {
		if goError(a) {
			return found(langGo, "errors answered as Go's http.Error answers them (text/plain; charset=utf-8, X-Content-Type-Options: nosniff, no Server header)")
		}
	}
	return nil
}

// goError: an error answered by net/http's http.Error, which sets exactly these headers and ends
// the one-line message with a newline.
func goError(a seenAnswer) bool {
	h := a.header
	return a.status >= 400 && h.Get("Content-Type") == "text/plain; charset=utf-8" && h.Get("X-Content-Type-Options") == "nosniff" &&
		h.Get("Server") == "" && h.Get("X-Powered-By") == "" && bytes.Count(a.body, []byte("\n")) == 1 && bytes.HasSuffix(a.body, []byte("\n"))
}

func (l *Language) id() langID {
	if l == nil {
		return langUnknown
	}
	for id, n := range langNames {
		if n[0] == l.Name {
			return id
		}
	}
	return langUnknown
}

// Fixes in each language, for the failures whose fix is a line of code.
var (
	tagFix = map[langID]string{
		langNode:    "pass { authTagLength: 16 } to crypto.createDecipheriv (Zoom's published Node sample leaves it out); with Web Crypto, tagLength: 128",
		langPHP:     "openssl_decrypt takes a GCM tag of any length from 1 to 16 bytes: refuse strlen($tag) !== 16 before calling it",
		langRuby:    "OpenSSL::Cipher takes an auth_tag of any length (Ruby's OpenSSL docs warn of it): refuse tag.bytesize != 16 before cipher.auth_tag = tag",
		langPython:  "keep cryptography's GCM(iv, tag) at its default min_tag_length of 16, and refuse len(tag) != 16",
		langJava:    "build the spec as new GCMParameterSpec(128, iv), never from the tag's length (tag.length * 8)",
		langGo:      "open with cipher.NewGCM (a 16-byte tag), never cipher.NewGCMWithTagSize",
		langDotNet:  "AesGcm takes tags of 12 to 16 bytes: refuse tag.Length != 16 before Decrypt",
		langUnknown: "refuse a tag that is not exactly 16 bytes before decrypting (Node: authTagLength: 16; PHP, Ruby: check the tag's length yourself)",
	}
	expFix = map[langID]string{
		langNode:    "compare exp with Date.now(), which is already in milliseconds, not Date.now() / 1000",
		langPHP:     "compare exp with (int) (microtime(true) * 1000), not time(), which is in seconds",
		langRuby:    "compare exp with (Time.now.to_f * 1000).to_i, not Time.now.to_i, which is in seconds",
		langPython:  "compare exp with time.time() * 1000, not time.time(), which is in seconds",
		langJava:    "compare exp with System.currentTimeMillis(), not Instant.now().getEpochSecond()",
		langGo:      "compare exp with time.Now().UnixMilli(), not Unix(), which is in seconds",
		langDotNet:  "compare exp with DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()",
		langUnknown: "check exp, and compare it with the time now in milliseconds, not seconds",
	}
)

// fix is the language-fitted fix for a failed case, pointing to the snippet when there is one.
func (l *Language) fix(caseName string) string {
	id := l.id()
	var f string
	switch caseName {
	case "tag cut to 12 bytes", "tag cut to 8 bytes", "tag cut to 4 bytes":
		f = tagFix[id]
	case "expired 8 minutes ago":
		f = expFix[id]
	case "wrong aud":
		f = "compare aud with the app's client ID, exactly"
	case "wrong iss":
		f = "compare iss with " + Issuer
	case "bytes after the tag":
		f = "read the tag as the 16 bytes after the ciphertext and refuse a token with anything after them"
	case caseNone:
		f = "refuse a request that carries no context, or point --endpoint at the route that reads it"
	case caseOtherSecret, "flipped ciphertext byte", "flipped tag byte":
		f = "decrypt with AES-256-GCM and let a failed tag check refuse the request; never fall back to reading the payload"
	default:
		return ""
	}
	return f + l.snippetHint()
}

// snippetHint points to working code in the backend's language.
func (l *Language) snippetHint() string {
	if l == nil || l.Snippet == "" {
		return "; zoomdbg snippet LANG has a decrypt function that does all of this"
	}
	return fmt.Sprintf("; zoomdbg snippet %s has a decrypt function that does all of this", l.Snippet)
}
