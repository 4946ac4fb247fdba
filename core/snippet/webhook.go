package snippet

// webhookPrograms are each language's webhook program: it verifies x-zm-signature over the RAW
// body with a constant-time comparison, refuses an empty secret token, and answers an
// endpoint.url_validation event only once its own signature has verified. Run on its own:
//
//	ZOOM_WEBHOOK_SECRET_TOKEN=... <run> [TIMESTAMP [SIGNATURE]] < body.json
//
// it prints the handshake answer JSON or "verified EVENT" and exits 0, or prints one line saying
// why it refused the delivery and exits 1. Kept apart from the Languages table, which the
// app-context and PKCE programs share.
var webhookPrograms = map[string]Program{
	"python":    {File: "zoom_webhook.py", Run: []string{"python3", "{file}"}},
	"node":      {File: "zoom-webhook.js", Run: []string{"node", "{file}"}},
	"webcrypto": {File: "zoom-webhook.mjs", Run: []string{"node", "{file}"}},
	"go":        {File: "webhook.go", Run: []string{"go", "run", "{file}"}},
	"java":      {File: "ZoomWebhook.java", Run: []string{"java", "{file}"}},
	"php":       {File: "zoom_webhook.php", Run: []string{"php", "{file}"}},
	"ruby":      {File: "zoom_webhook.rb", Run: []string{"ruby", "{file}"}},
}

// WebhookEnv is the environment variable the webhook programs read the Secret Token from, the
// name Zoom's webhook sample uses.
const WebhookEnv = "ZOOM_WEBHOOK_SECRET_TOKEN"
