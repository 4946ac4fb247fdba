<?php
// PKCE for Zoom OAuth: a code verifier and its S256 challenge (RFC 7636).
// Needs: PHP 7.4 or later.
// Run:   php zoom_pkce.php [VERIFIER]
// Prints one JSON object; a VERIFIER that breaks RFC 7636 section 4.1 gets one line on stderr and exit 2.

const ZOOM_VERIFIER_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

/** Throws InvalidArgumentException unless $verifier is 43-128 unreserved characters (RFC 7636 section 4.1). */
function zoom_check_verifier(string $verifier): void
{
    $n = strlen($verifier);
    if ($n < 43 || $n > 128) {
        throw new InvalidArgumentException("verifier is $n bytes; RFC 7636 section 4.1 wants 43 to 128 characters");
    }
    $ok = strspn($verifier, ZOOM_VERIFIER_CHARS);
    if ($ok !== $n) {
        throw new InvalidArgumentException(sprintf(
            'verifier: byte 0x%02X at offset %d is not one of A-Z a-z 0-9 - . _ ~ (RFC 7636 section 4.1)', ord($verifier[$ok]), $ok));
    }
}

function zoom_base64url(string $b): string
{
    return rtrim(strtr(base64_encode($b), '+/', '-_'), '=');
}

/** 43 characters from a CSPRNG: 32 random bytes, base64url without padding. */
function zoom_new_verifier(): string
{
    return zoom_base64url(random_bytes(32));
}

/** RFC 7636 S256: BASE64URL-NOPAD(SHA-256(ASCII(verifier))). Send code_challenge_method=S256 with it. */
function zoom_s256_challenge(string $verifier): string
{
    zoom_check_verifier($verifier);
    return zoom_base64url(hash('sha256', $verifier, true));
}

/** Only for a server that still expects Zoom's old documented variant: base64 of the lowercase hex digest. */
function zoom_legacy_challenge(string $verifier): string
{
    zoom_check_verifier($verifier);
    return base64_encode(hash('sha256', $verifier));
}

if (PHP_SAPI === 'cli' && isset($argv[0]) && realpath($argv[0]) === __FILE__) {
    $v = $argv[1] ?? zoom_new_verifier();
    try {
        zoom_check_verifier($v);
    } catch (InvalidArgumentException $e) {
        fwrite(STDERR, 'refused: ' . $e->getMessage() . "\n");
        exit(2);
    }
    echo json_encode(['code_verifier' => $v, 'code_challenge' => zoom_s256_challenge($v), 'code_challenge_method' => 'S256',
        'zoom_legacy_challenge' => zoom_legacy_challenge($v)], JSON_UNESCAPED_SLASHES), "\n";
}
