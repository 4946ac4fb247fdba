// Package snippet holds zoomdbg's code for developers' own backends: for each language, a short
// program whose heart is one function that opens an app context the way a correct backend must
// (base64url, every length checked, the tag pinned to 16 bytes, key = SHA-256(secret), AES-256-GCM
// with the AAD, exp in milliseconds, aud when a client ID is given), and one that makes a PKCE
// verifier and its S256 challenge. Every program here is run by this package's tests with the real
// runtime; a language that cannot be run on the project's machines is not shipped.
package snippet

import (
	"embed"
	"fmt"
	"strings"
)

//go:embed _code
var code embed.FS

// Kind says which program of a language is meant.
type Kind int

// The two programs every language has.
const (
	AppContext Kind = iota // decrypt and check an app context
	PKCE                   // a verifier and its S256 challenge
	Webhook                // verify a webhook delivery and answer the url_validation handshake (webhook.go)
)

// Program is one runnable file.
type Program struct {
	File string   // the file name the program expects to be saved as
	Run  []string // the command that runs it, {file} standing for its path; arguments follow
}

// Language is one stack zoomdbg hands code for.
type Language struct {
	Name    string   // the name given on the command line
	Aliases []string // other names accepted for it
	Title   string   // how people call it
	Runtime string   // what runs it, and what it needs installed
	dir     string
	progs   [2]Program
}

// Program returns the language's program of kind k.
func (l Language) Program(k Kind) Program {
	if k == Webhook {
		return webhookPrograms[l.dir]
	}
	return l.progs[k]
}

// Source returns the program's text.
func (l Language) Source(k Kind) string {
	b, err := code.ReadFile("_code/" + l.dir + "/" + l.Program(k).File)
	if err != nil {
		panic(fmt.Sprintf("snippet: %s is not embedded: %v", l.Program(k).File, err)) // a build fault, caught by every test
	}
	return string(b)
}

// Command is the program's run command with its path in place of {file}, as a person types it.
func (l Language) Command(k Kind) string {
	return strings.Join(l.Argv(k, l.Program(k).File), " ")
}

// Argv is the program's run command for a file at path.
func (l Language) Argv(k Kind, path string) []string {
	run := l.Program(k).Run
	argv := make([]string, len(run))
	for i, a := range run {
		argv[i] = strings.ReplaceAll(a, "{file}", path)
	}
	return argv
}

// Languages lists every shipped language, in the order `snippet --list` shows them.
var Languages = []Language{
	{Name: "python", Aliases: []string{"py", "django", "flask"}, Title: "Python", Runtime: "python3 with the cryptography package",
		dir: "python", progs: [2]Program{
			{File: "zoom_app_context.py", Run: []string{"python3", "{file}"}},
			{File: "zoom_pkce.py", Run: []string{"python3", "{file}"}}}},
	{Name: "node", Aliases: []string{"js", "javascript", "express"}, Title: "Node.js (crypto module)", Runtime: "node",
		dir: "node", progs: [2]Program{
			{File: "zoom-app-context.js", Run: []string{"node", "{file}"}},
			{File: "zoom-pkce.js", Run: []string{"node", "{file}"}}}},
	{Name: "webcrypto", Aliases: []string{"browser", "deno", "workers", "cloudflare"},
		Title: "Web Crypto (browsers, Deno, Cloudflare Workers, Node 20+)", Runtime: "node 20+, deno, or any Web Crypto host",
		dir: "webcrypto", progs: [2]Program{
			{File: "zoom-app-context.mjs", Run: []string{"node", "{file}"}},
			{File: "zoom-pkce.mjs", Run: []string{"node", "{file}"}}}},
	{Name: "go", Aliases: []string{"golang"}, Title: "Go (standard library)", Runtime: "go",
		dir: "go", progs: [2]Program{
			{File: "appcontext.go", Run: []string{"go", "run", "{file}"}},
			{File: "pkce.go", Run: []string{"go", "run", "{file}"}}}},
	{Name: "java", Aliases: []string{"kotlin", "spring"}, Title: "Java (javax.crypto, single source file)", Runtime: "java 11+",
		dir: "java", progs: [2]Program{
			{File: "ZoomAppContext.java", Run: []string{"java", "{file}"}},
			{File: "ZoomPkce.java", Run: []string{"java", "{file}"}}}},
	{Name: "php", Aliases: []string{"laravel"}, Title: "PHP (openssl)", Runtime: "php 8.1+ with openssl",
		dir: "php", progs: [2]Program{
			{File: "zoom_app_context.php", Run: []string{"php", "{file}"}},
			{File: "zoom_pkce.php", Run: []string{"php", "{file}"}}}},
	{Name: "ruby", Aliases: []string{"rb", "rails"}, Title: "Ruby (openssl)", Runtime: "ruby 3.1+",
		dir: "ruby", progs: [2]Program{
			{File: "zoom_app_context.rb", Run: []string{"ruby", "{file}"}},
			{File: "zoom_pkce.rb", Run: []string{"ruby", "{file}"}}}},
}

// Lookup finds a language by name or alias, case-insensitively.
func Lookup(name string) (Language, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, l := range Languages {
		if l.Name == n {
			return l, nil
		}
		for _, a := range l.Aliases {
			if a == n {
				return l, nil
			}
		}
	}
	if n == "csharp" || n == "c#" || n == "dotnet" || n == ".net" || n == "cs" {
		return Language{}, fmt.Errorf("no C# snippet: .NET's AesGcm cannot be run on zoomdbg's test machines, and zoomdbg ships no code it has not run; " +
			"the java snippet is the closest in shape (AesGcm.Decrypt takes nonce, ciphertext, tag and AAD the same way)")
	}
	return Language{}, fmt.Errorf("no snippet for %q: want one of %s", name, strings.Join(Names(), ", "))
}

// Names lists the shipped languages' names.
func Names() []string {
	ns := make([]string, len(Languages))
	for i, l := range Languages {
		ns[i] = l.Name
	}
	return ns
}

// Failure is what a decryption error message a developer saw means.
type Failure struct {
	Language string   // the library that prints it
	Message  string   // the message as that library prints it
	Means    string   // what the library is saying
	Causes   []string // the likely causes, most likely first

	patterns []string // lowercase fragments that identify the failure in a pasted message or trace
}

// The causes a failed tag has in developers' code, most common first. They are the same whatever
// the language; each failure adds its own first when it has one.
var tagCauses = []string{
	"the key is not SHA-256 of the client secret: HKDF or PBKDF2 (a widely copied page recommends HKDF with info \"handshake data\"), or the secret's raw bytes",
	"the secret is not the one that sealed the token: the app's Development and Production secrets differ, and another app's or a regenerated secret fails the same way",
	"the token was decoded as plain base64: '-' and '_' are dropped or rejected, so every byte after the first one is wrong",
	"the token was changed on its way: truncated, '+' turned into spaces by a URL decoder, or quotes and a header name left on it",
	"the AAD was not passed: the layout's aad field must be given to the cipher even when it is empty",
}

// failures maps each library's message to its meaning; the order is the order Explain tries them.
var failures = []Failure{
	{Language: "Python (cryptography)", Message: "InvalidTag", patterns: []string{"invalidtag"},
		Means: "cryptography's AESGCM or Cipher(GCM) refused the tag: the key, IV, AAD, ciphertext or tag differ from what Zoom sealed"},
	{Language: "Node.js (crypto)", Message: "Unsupported state or unable to authenticate data", patterns: []string{"unable to authenticate data", "unsupported state"},
		Means: "decipher.final() refused the tag set with setAuthTag"},
	{Language: "Web Crypto", Message: "OperationError", patterns: []string{"operationerror", "the operation failed for an operation-specific reason"},
		Means:  "crypto.subtle.decrypt refused the data; with AES-GCM it must get ciphertext and tag as one buffer and tagLength 128",
		Causes: []string{"the tag was not appended to the ciphertext: Web Crypto takes ciphertext||tag (the last 16 bytes are the tag), never the ciphertext alone"}},
	{Language: "Java (javax.crypto)", Message: "AEADBadTagException: Tag mismatch", patterns: []string{"aeadbadtagexception", "tag mismatch"},
		Means:  "Cipher.doFinal refused the tag; Java expects ciphertext||tag in doFinal and GCMParameterSpec(128, iv)",
		Causes: []string{"doFinal was given the ciphertext without the tag appended, or GCMParameterSpec has a tag length other than 128"}},
	{Language: ".NET (System.Security.Cryptography)", Message: "AuthenticationTagMismatchException", patterns: []string{"authenticationtagmismatchexception", "the computed authentication tag did not match"},
		Means: "AesGcm.Decrypt refused the tag: the tag argument must be the last 16 bytes, the ciphertext the bytes before them"},
	{Language: "PHP (openssl)", Message: "openssl_decrypt returned false", patterns: []string{"openssl_decrypt"},
		Means:  "openssl_decrypt with aes-256-gcm returns false when the tag does not verify; pass OPENSSL_RAW_DATA, the IV, the tag and the AAD",
		Causes: []string{"OPENSSL_RAW_DATA was not passed, so PHP base64-decoded the ciphertext a second time"}},
	{Language: "Ruby (openssl)", Message: "OpenSSL::Cipher::CipherError", patterns: []string{"ciphererror"},
		Means: "Cipher#final refused the tag set with auth_tag="},
	{Language: "Go (crypto/cipher)", Message: "cipher: message authentication failed", patterns: []string{"message authentication failed"},
		Means: "gcm.Open refused the tag; it wants ciphertext||tag as one slice"},
}

// Failures lists every failure message zoomdbg knows, each with its causes in full.
func Failures() []Failure {
	out := make([]Failure, len(failures))
	for i, f := range failures {
		out[i] = withCauses(f)
	}
	return out
}

func withCauses(f Failure) Failure {
	f.Causes = append(append([]string(nil), f.Causes...), tagCauses...)
	return f
}

// Explain finds the library failure in msg (a message, an exception name or a whole stack trace)
// and says what it means; ok is false when msg names none zoomdbg knows.
func Explain(msg string) (f Failure, ok bool) {
	m := strings.ToLower(msg)
	best, bestAt := -1, len(m)+1
	for i, f := range failures {
		for _, p := range f.patterns {
			if at := strings.Index(m, p); at >= 0 && at < bestAt {
				best, bestAt = i, at
			}
		}
	}
	if best < 0 {
		return Failure{}, false
	}
	return withCauses(failures[best]), true
}
