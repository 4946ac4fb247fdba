// Package webhook verifies Zoom's webhook deliveries the way Zoom signs them, answers the
// endpoint.url_validation handshake, reads a delivery from whatever a developer captured (a raw
// HTTP request, curl -v output, a "Copy as cURL" command, a HAR entry, a JSON log line, or the body
// alone), finds which of the usual mistakes reproduces a signature that does not verify, and tests
// a running endpoint from the outside.
//
// The scheme (Zoom's webhook docs, "Verify webhook events", and github.com/zoom/webhook-sample):
//
//	x-zm-request-timestamp: <epoch seconds>
//	x-zm-signature:         v0=<lowercase hex HMAC-SHA256(secret token, "v0:" + timestamp + ":" + raw body)>
//
// and the handshake answer is {"plainToken": p, "encryptedToken": hex HMAC-SHA256(secret token, p)}.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"
)

// Wire constants, declared once.
const (
	HeaderSignature = "x-zm-signature"         // carries "v0=" + hex HMAC
	HeaderTimestamp = "x-zm-request-timestamp" // epoch seconds, as decimal text
	SignaturePrefix = "v0="                    // in front of the hex in x-zm-signature
	MessageVersion  = "v0"                     // the first field of the signed message

	// EventURLValidation is the event Zoom sends to validate an endpoint before any other.
	EventURLValidation = "endpoint.url_validation"

	// ResponseDeadline is how long Zoom waits for any answer, the handshake's included; a
	// delivery not answered 2xx in time is retried, and a handshake fails.
	ResponseDeadline = 3 * time.Second

	// Revalidation is how often Zoom validates an endpoint again.
	Revalidation = 72 * time.Hour
)

// Secret is one candidate Secret Token with the label the user gave it.
type Secret struct {
	Label string
	Value []byte
}

// Errors of Verify.
var (
	ErrEmptySecret      = errors.New("the secret token is empty: refuse every delivery rather than verify with an empty key")
	ErrNoSignature      = errors.New("no " + HeaderSignature + " header")
	ErrNoTimestamp      = errors.New("no " + HeaderTimestamp + " header")
	ErrSignatureMissing = errors.New("the signature does not start with " + SignaturePrefix)
	ErrMismatch         = errors.New("signature mismatch")
)

// Message is the text Zoom signs: "v0:" + timestamp + ":" + body.
func Message(timestamp string, body []byte) []byte {
	m := make([]byte, 0, len(MessageVersion)+len(timestamp)+len(body)+2)
	m = append(m, MessageVersion...)
	m = append(m, ':')
	m = append(m, timestamp...)
	m = append(m, ':')
	return append(m, body...)
}

// MAC is HMAC-SHA256(secret, msg).
func MAC(secret, msg []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write(msg)
	return h.Sum(nil)
}

// Sign returns the x-zm-signature value for body sent at timestamp.
func Sign(secret []byte, timestamp string, body []byte) string {
	return SignaturePrefix + hex.EncodeToString(MAC(secret, Message(timestamp, body)))
}

// Verify checks a delivery's signature in constant time. It refuses an empty secret (a verifier
// that passes then is open to anyone) and missing headers, each with its own error.
func Verify(secret []byte, timestamp, signature string, body []byte) error {
	switch {
	case len(secret) == 0:
		return ErrEmptySecret
	case signature == "":
		return ErrNoSignature
	case timestamp == "":
		return ErrNoTimestamp
	case len(signature) < len(SignaturePrefix) || signature[:len(SignaturePrefix)] != SignaturePrefix:
		return ErrSignatureMissing
	}
	want := Sign(secret, timestamp, body)
	if !hmac.Equal([]byte(want), []byte(signature)) {
		return ErrMismatch
	}
	return nil
}

// ValidationResponse is the body an endpoint answers endpoint.url_validation with.
type ValidationResponse struct {
	PlainToken     string `json:"plainToken"`
	EncryptedToken string `json:"encryptedToken"`
}

// Validate computes the handshake answer for plainToken. Answer it only after the request's own
// signature verifies: an endpoint that answers any request returns HMAC(secret, anything), which
// is a valid signature for a forged "v0:<ts>:<body>".
func Validate(secret []byte, plainToken string) ValidationResponse {
	return ValidationResponse{PlainToken: plainToken, EncryptedToken: hex.EncodeToString(MAC(secret, []byte(plainToken)))}
}
