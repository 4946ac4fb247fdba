// Verify a Zoom webhook delivery and answer the endpoint.url_validation handshake.
//
// Run: ZOOM_WEBHOOK_SECRET_TOKEN=... go run webhook.go [TIMESTAMP [SIGNATURE]] < body.json
// Needs: Go 1.21+, standard library only.
//
// In a handler, read the raw body once and verify it before decoding it:
//
//	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
//	event, err := VerifyZoomWebhook(body, r.Header.Get("x-zm-request-timestamp"), r.Header.Get("x-zm-signature"), secretToken)
//	if err != nil { http.Error(w, err.Error(), http.StatusUnauthorized); return }
//
// Never hash json.Marshal of the decoded map: its key order and escapes are not the bytes Zoom signed.
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrRefused wraps every reason a delivery is refused.
var ErrRefused = errors.New("refused")

// Event is a Zoom webhook body: the event name, its payload and event_ts (milliseconds).
type Event struct {
	Event   string          `json:"event"`
	Payload json.RawMessage `json:"payload"`
	EventTS int64           `json:"event_ts"`
}

// VerifyZoomWebhook returns the event once its x-zm-signature verifies. body is the raw request
// body; timestamp and signature are the header values ("" when absent, as http.Header.Get gives).
func VerifyZoomWebhook(body []byte, timestamp, signature string, secretToken []byte) (*Event, error) {
	if len(secretToken) == 0 {
		return nil, fmt.Errorf("%w: the secret token is empty: refusing every delivery", ErrRefused)
	}
	if timestamp == "" || signature == "" {
		return nil, fmt.Errorf("%w: missing x-zm-request-timestamp or x-zm-signature header", ErrRefused)
	}
	// Zoom signs "v0:" + the timestamp header (seconds) + ":" + the raw body, and sends "v0=" + lowercase hex.
	mac := hmac.New(sha256.New, secretToken)
	mac.Write([]byte("v0:" + timestamp + ":"))
	mac.Write(body)
	expected := "v0=" + hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(expected), []byte(signature)) {
		return nil, fmt.Errorf("%w: signature mismatch", ErrRefused)
	}
	var e Event
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("%w: the body is not a JSON object", ErrRefused)
	}
	return &e, nil
}

// URLValidationResponse is the answer to a VERIFIED endpoint.url_validation event (HTTP 200, JSON).
func URLValidationResponse(e *Event, secretToken []byte) (map[string]string, error) {
	var p struct {
		PlainToken *string `json:"plainToken"`
	}
	if err := json.Unmarshal(e.Payload, &p); err != nil || p.PlainToken == nil {
		return nil, fmt.Errorf("%w: url_validation without payload.plainToken", ErrRefused)
	}
	mac := hmac.New(sha256.New, secretToken)
	mac.Write([]byte(*p.PlainToken))
	return map[string]string{"plainToken": *p.PlainToken, "encryptedToken": hex.EncodeToString(mac.Sum(nil))}, nil
}

func main() {
	args := append(os.Args[1:], "", "")
	secret := []byte(os.Getenv("ZOOM_WEBHOOK_SECRET_TOKEN"))
	body, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	e, err := VerifyZoomWebhook(body, args[0], args[1], secret)
	if err == nil && e.Event == "endpoint.url_validation" {
		var answer map[string]string
		if answer, err = URLValidationResponse(e, secret); err == nil {
			out, _ := json.Marshal(answer)
			fmt.Println(string(out))
			return
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("verified", e.Event)
}
