package webhook_test

import (
	"fmt"

	"github.com/zoomdbg/zoomdbg/core/webhook"
)

func ExampleSign() {
	body := []byte(`{"event":"meeting.started","event_ts":1764500000123}`)
	fmt.Println(webhook.Sign([]byte("secret-token"), "1764500001", body))
	fmt.Println(webhook.Verify([]byte("secret-token"), "1764500001", webhook.Sign([]byte("secret-token"), "1764500001", body), body))
	// Output:
	// v0=0dded82d448a0a622bbccf790ca3521e044dd2dc171c2c94b7d904a143a6fd3d
	// <nil>
}

func ExampleValidate() {
	v := webhook.Validate([]byte("secret-token"), "qgg8vlvZRS6UYooatFL8Aw")
	fmt.Println(v.PlainToken, len(v.EncryptedToken))
	// Output: qgg8vlvZRS6UYooatFL8Aw 64
}
