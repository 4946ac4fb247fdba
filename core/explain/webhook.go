package explain

// The failures of webhook verifiers and of Zoom's URL validation: their causes are the webhook's,
// not AES-GCM's, and what to run next is zoomdbg webhook.

var webhookCauses = []string{
	"the HMAC was computed over a re-serialised body (JSON.stringify(req.body), as Zoom's own sample does; json.dumps; json_encode; str(dict)) instead of the raw bytes: bodies with \\/ or \\u escapes, numbers like 1.0, or non-ASCII text then fail",
	"the key is not the app's Secret Token: the client secret, the old verification token, another app's or environment's token, or the token with a trailing newline",
	"the message is not \"v0:\" + x-zm-request-timestamp + \":\" + body: the v0 prefix dropped, or the body's event_ts (milliseconds) used as the timestamp",
	"the comparison is against another form: without \"v0=\", upper-case hex, or base64",
	"a proxy or load balancer in front of the app dropped the x-zm-* headers or re-encoded the body",
}

// validationCauses are why Zoom's URL validation fails, most common first.
var validationCauses = []string{
	"the endpoint did not answer HTTP 200 with JSON {\"plainToken\": the same, \"encryptedToken\": lower-case hex HMAC-SHA256(Secret Token, plainToken)} within 3 seconds (a cold start is too slow)",
	"encryptedToken was computed in base64, or with the client secret or verification token instead of the Secret Token",
	"the endpoint checks the validation request's signature first and that check is broken (it hashes a re-serialised body), so it answers 401",
	"the URL is not reachable from the internet over HTTPS with a valid certificate, or it redirects",
}

// webhookNext is what finds which cause applies to one delivery.
const webhookNext = "zoomdbg webhook CAPTURE --secret-token-file dev=PATH names which of these it is for one delivery;\n" +
	"      zoomdbg webhook check URL tests the endpoint; zoomdbg snippet LANG --webhook prints verification code."

func init() {
	Register(
		Message{Language: "Zoom Marketplace (event subscription)", Message: "URL validation failed. Try again later.",
			Patterns: []string{"url validation failed", "validation failed. try again", "validate the url", "url_validation"},
			Means:    "Zoom sent endpoint.url_validation and did not get the answer it expects in time; until it does, the subscription sends no events (it re-validates every 72 hours)",
			Causes:   validationCauses, Next: webhookNext},
		Message{Language: "Zoom webhook-sample (Node)", Message: "Unauthorized request to Zoom Webhook sample.",
			Patterns: []string{"unauthorized request to zoom webhook sample"},
			Means:    "the sample's x-zm-signature check failed: it hashes JSON.stringify(req.body), so bodies that do not survive re-serialisation fail even when signed correctly",
			Causes:   webhookCauses, Next: webhookNext},
		Message{Language: "Node.js (crypto.timingSafeEqual)", Message: "RangeError: Input buffers must have the same byte length",
			Patterns: []string{"input buffers must have the same byte length"},
			Means:    "timingSafeEqual was given buffers of different lengths: the received signature is not \"v0=\" + 64 hex digits (missing header, no v0= prefix, base64), so compare lengths first and refuse",
			Causes:   webhookCauses, Next: webhookNext},
		Message{Language: "Node.js (crypto.createHmac)", Message: "The \"key\" argument must be of type string or an instance of ... Received undefined",
			Patterns: []string{"\"key\" argument must be", "key argument must be"},
			Means:    "createHmac got no key: the Secret Token's environment variable is not set where the code runs; refuse every delivery rather than verify with an empty key",
			Causes:   webhookCauses, Next: webhookNext},
		Message{Language: "Node.js (hmac.update)", Message: "The \"data\" argument must be of type string or an instance of Buffer ... Received an instance of Object",
			Patterns: []string{"\"data\" argument must be", "data argument must be"},
			Means:    "hmac.update got the parsed body (req.body after express.json()); hash the raw bytes: express.raw({type: 'application/json'}) on the webhook route",
			Causes:   webhookCauses, Next: webhookNext},
		Message{Language: "Python (hmac)", Message: "TypeError: key: expected bytes or bytearray, but got 'str'",
			Patterns: []string{"expected bytes or bytearray"},
			Means:    "hmac.new wants bytes: secret_token.encode(), and the raw body (request.body, request.get_data()), not a str",
			Causes:   webhookCauses, Next: webhookNext},
		Message{Language: "Python (hmac.compare_digest)", Message: "TypeError: a bytes-like object is required, not 'str'",
			Patterns: []string{"a bytes-like object is required", "combination of types"},
			Means:    "compare_digest was given a str and bytes (or a non-ASCII str): compare two str (\"v0=\" + hexdigest() against the header) or two bytes",
			Causes:   webhookCauses, Next: webhookNext},
		Message{Language: "webhook verifier", Message: "invalid signature / signature mismatch on x-zm-signature",
			Patterns: []string{"x-zm-signature", "zm-signature", "webhook signature"},
			Means:    "the signature computed for the delivery is not the one Zoom sent",
			Causes:   webhookCauses, Next: webhookNext},
	)
}
