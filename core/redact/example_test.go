package redact_test

import (
	"encoding/base64"
	"fmt"

	"github.com/zoomdbg/zoomdbg/core/redact"
)

func ExampleRedactor_String() {
	secret := "Zm0ckS3cretF0rZoomdbgOAuthTest01"
	r := redact.New("[secret redacted]", redact.Secret{Value: []byte(secret), ClientID: "my-client"})
	echo := "debug: Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("my-client:"+secret)) +
		", secret " + base64.RawURLEncoding.EncodeToString([]byte(secret))
	shown, found := r.String(echo)
	fmt.Println(shown)
	fmt.Println(found)
	// Output:
	// debug: Authorization: Basic [secret redacted], secret [secret redacted]
	// [the Basic credentials the secret in base64]
}
