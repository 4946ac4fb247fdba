<?php
// Verify a Zoom webhook delivery and answer the endpoint.url_validation handshake.
//
// Run: ZOOM_WEBHOOK_SECRET_TOKEN=... php zoom_webhook.php [TIMESTAMP [SIGNATURE]] < body.json
// Needs: PHP 8.1+ (hash_hmac, hash_equals, array_is_list).
//
// In Laravel, pass the RAW body, never json_encode($request->all()) (it escapes '/' and non-ASCII):
//   $event = verify_zoom_webhook($request->getContent(), $request->header('x-zm-request-timestamp'),
//                                $request->header('x-zm-signature'), config('services.zoom.webhook_secret_token'));
// Plain PHP: file_get_contents('php://input') and $_SERVER['HTTP_X_ZM_SIGNATURE'] ?? null.

final class ZoomWebhookRefused extends RuntimeException {}

/** Returns the event (an array) once its x-zm-signature verifies; throws ZoomWebhookRefused. */
function verify_zoom_webhook(string $rawBody, ?string $timestamp, ?string $signature, ?string $secretToken): array
{
    if ($secretToken === null || $secretToken === '') {
        throw new ZoomWebhookRefused('the secret token is empty: refusing every delivery');
    }
    if ($timestamp === null || $timestamp === '' || $signature === null || $signature === '') {
        throw new ZoomWebhookRefused('missing x-zm-request-timestamp or x-zm-signature header');
    }
    // Zoom signs "v0:" + the timestamp header (seconds) + ":" + the raw body, and sends "v0=" + lowercase hex.
    $expected = 'v0=' . hash_hmac('sha256', 'v0:' . $timestamp . ':' . $rawBody, $secretToken);
    if (!hash_equals($expected, $signature)) {
        throw new ZoomWebhookRefused('signature mismatch');
    }
    $event = json_decode($rawBody, true);
    if (!is_array($event) || array_is_list($event) && $event !== []) {
        throw new ZoomWebhookRefused('the body is not a JSON object');
    }
    return $event;
}

/** The answer to a VERIFIED endpoint.url_validation event: send it as JSON with HTTP 200. */
function url_validation_response(array $event, string $secretToken): array
{
    $plainToken = $event['payload']['plainToken'] ?? null;
    if (!is_string($plainToken)) {
        throw new ZoomWebhookRefused('url_validation without payload.plainToken');
    }
    return ['plainToken' => $plainToken, 'encryptedToken' => hash_hmac('sha256', $plainToken, $secretToken)];
}

if (PHP_SAPI === 'cli' && realpath($argv[0]) === __FILE__) {
    $secret = getenv('ZOOM_WEBHOOK_SECRET_TOKEN');
    try {
        $event = verify_zoom_webhook(stream_get_contents(STDIN), $argv[1] ?? null, $argv[2] ?? null, $secret === false ? null : $secret);
        if (($event['event'] ?? null) === 'endpoint.url_validation') {
            echo json_encode(url_validation_response($event, $secret), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
        } else {
            echo 'verified ', $event['event'] ?? '', "\n";
        }
    } catch (ZoomWebhookRefused $e) {
        fwrite(STDERR, 'refused: ' . $e->getMessage() . "\n");
        exit(1);
    }
}
