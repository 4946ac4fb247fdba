"""Verify a Zoom webhook delivery and answer the endpoint.url_validation handshake.

Run: ZOOM_WEBHOOK_SECRET_TOKEN=... python3 zoom_webhook.py [TIMESTAMP [SIGNATURE]] < body.json
Needs: Python 3.8+, standard library only.

In a view, pass the RAW body and the headers as the framework hands them over:
  Django:  verify_zoom_webhook(request.body, request.headers.get("x-zm-request-timestamp"),
                               request.headers.get("x-zm-signature"), settings.ZOOM_WEBHOOK_SECRET_TOKEN)
  Flask:   verify_zoom_webhook(request.get_data(), request.headers.get(...), ...)
  FastAPI: verify_zoom_webhook(await request.body(), request.headers.get(...), ...)
Never hash json.dumps(request.json): its separators and escapes are not the bytes Zoom signed.
Answer 401 on ZoomWebhookError, and answer every delivery within 3 seconds.
"""
import hashlib
import hmac
import json
import os
import sys


class ZoomWebhookError(ValueError):
    """The delivery was refused; str(err) says why."""


def verify_zoom_webhook(raw_body, timestamp, signature, secret_token):
    """Return the event (a dict) once its x-zm-signature verifies, or raise ZoomWebhookError.

    raw_body is bytes as received; timestamp and signature are the header values (None when absent).
    """
    if not secret_token:
        raise ZoomWebhookError("the secret token is empty: refusing every delivery")
    if not timestamp or not signature:
        raise ZoomWebhookError("missing x-zm-request-timestamp or x-zm-signature header")
    # Zoom signs "v0:" + the timestamp header (seconds) + ":" + the raw body, and sends "v0=" + lowercase hex.
    message = b"v0:" + timestamp.encode() + b":" + raw_body
    expected = "v0=" + hmac.new(secret_token.encode(), message, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise ZoomWebhookError("signature mismatch")
    try:
        event = json.loads(raw_body)
    except ValueError:
        raise ZoomWebhookError("the body is not JSON") from None
    if not isinstance(event, dict):
        raise ZoomWebhookError("the body is not a JSON object")
    return event


def url_validation_response(event, secret_token):
    """The answer to a VERIFIED endpoint.url_validation event: send it as JSON with HTTP 200."""
    plain_token = (event.get("payload") or {}).get("plainToken")
    if not isinstance(plain_token, str):
        raise ZoomWebhookError("url_validation without payload.plainToken")
    encrypted = hmac.new(secret_token.encode(), plain_token.encode(), hashlib.sha256).hexdigest()
    return {"plainToken": plain_token, "encryptedToken": encrypted}


if __name__ == "__main__":
    args = sys.argv[1:] + [None, None]
    secret = os.environ.get("ZOOM_WEBHOOK_SECRET_TOKEN", "")
    try:
        event = verify_zoom_webhook(sys.stdin.buffer.read(), args[0], args[1], secret)
        if event.get("event") == "endpoint.url_validation":
            print(json.dumps(url_validation_response(event, secret)))
        else:
            print("verified", event.get("event"))
    except ZoomWebhookError as e:
        print("refused:", e, file=sys.stderr)
        sys.exit(1)
