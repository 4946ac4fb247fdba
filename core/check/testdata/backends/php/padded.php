<?php
// The same app, keyed the way a forum answer does it: the client secret handed to openssl_decrypt
// as the key. PHP pads a key shorter than 32 bytes with zeros and cuts a longer one; Zoom's key is
// SHA-256 of the secret, so no Zoom context ever opens.
require __DIR__ . '/zoom.php';

header('Content-Type: application/json');
$ctx = decrypt_app_context($_SERVER['HTTP_X_ZOOM_APP_CONTEXT'] ?? '', getenv('ZOOM_CLIENT_SECRET'));
if ($ctx === null) {
    http_response_code(403);
    echo json_encode(['error' => 'invalid app context']);
    exit;
}
echo json_encode(['uid' => $ctx['uid']]);
