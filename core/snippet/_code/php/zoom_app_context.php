<?php
// Decrypt and check a Zoom Apps app context (x-zoom-app-context / zoomSdk.getAppContext()).
// Run: ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] php zoom_app_context.php TOKEN

const ZOOM_TAG_SIZE = 16; // AES-GCM's full 128-bit tag; a shorter one would make forgery feasible

class AppContextRefused extends Exception {}

/** Returns the payload of a Zoom app context as an array, or throws AppContextRefused saying why. */
function decrypt_app_context(string $token, string $clientSecret, ?string $clientId = null, ?int $nowMs = null): array
{
    $token = rtrim(trim($token), '=');
    if (!preg_match('/^[A-Za-z0-9_-]*$/', $token)) {
        throw new AppContextRefused('not base64url');
    }
    $b = base64_decode(strtr($token, '-_', '+/'), true);
    if ($b === false) {
        throw new AppContextRefused('not base64url');
    }
    $off = 0;
    $take = function (int $n, string $what) use ($b, &$off): string {
        if ($n > strlen($b) - $off) {
            throw new AppContextRefused(sprintf('%s at byte %d: needs %d bytes, only %d remain', $what, $off, $n, strlen($b) - $off));
        }
        $off += $n;
        return substr($b, $off - $n, $n);
    };
    $iv = $take(ord($take(1, 'iv length')), 'iv');
    $aad = $take(unpack('v', $take(2, 'aad length'))[1], 'aad');
    $ciphertext = $take(unpack('V', $take(4, 'ciphertext length'))[1], 'ciphertext');
    $tag = substr($b, $off);
    if (strlen($tag) !== ZOOM_TAG_SIZE) {
        throw new AppContextRefused(sprintf('tag at byte %d: expected exactly %d bytes, found %d', $off, ZOOM_TAG_SIZE, strlen($tag)));
    }
    if ($iv === '') {
        throw new AppContextRefused('iv length is 0');
    }

    // Zoom's key is SHA-256 of the secret, used as is: not HKDF, not PBKDF2.
    $key = hash('sha256', $clientSecret, true);
    $plaintext = openssl_decrypt($ciphertext, 'aes-256-gcm', $key, OPENSSL_RAW_DATA, $iv, $tag, $aad);
    if ($plaintext === false) {
        throw new AppContextRefused('tag mismatch: wrong client secret, or the token was altered');
    }

    $payload = json_decode($plaintext, true);
    if (!is_array($payload) || array_is_list($payload) && $payload !== []) {
        throw new AppContextRefused('payload is not a JSON object');
    }
    $exp = $payload['exp'] ?? null;
    if (!is_int($exp) && !is_float($exp)) {
        throw new AppContextRefused('payload has no numeric exp');
    }
    $nowMs ??= (int) floor(microtime(true) * 1000);
    if ($exp <= $nowMs) { // exp is epoch milliseconds, not seconds
        throw new AppContextRefused(sprintf('expired %d s ago', intdiv($nowMs - (int) $exp, 1000)));
    }
    if ($clientId !== null && $clientId !== '' && ($payload['aud'] ?? null) !== $clientId) {
        throw new AppContextRefused(sprintf('aud %s is not this app\'s client ID', json_encode($payload['aud'] ?? null)));
    }
    return $payload;
}

if (PHP_SAPI === 'cli' && realpath($argv[0]) === __FILE__) {
    $secret = getenv('ZOOM_CLIENT_SECRET');
    if ($argc !== 2 || !$secret) {
        fwrite(STDERR, "usage: ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] php zoom_app_context.php TOKEN\n");
        exit(2);
    }
    try {
        $clientId = getenv('ZOOM_CLIENT_ID');
        echo json_encode(decrypt_app_context($argv[1], $secret, $clientId === false ? null : $clientId)), "\n";
    } catch (AppContextRefused $e) {
        fwrite(STDERR, 'refused: ' . $e->getMessage() . "\n");
        exit(1);
    }
}
