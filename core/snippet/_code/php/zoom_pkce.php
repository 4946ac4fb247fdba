<?php
// PKCE for Zoom OAuth: a code verifier and its S256 challenge (RFC 7636).
// Run: php zoom_pkce.php [VERIFIER]

function base64url(string $b): string
{
    return rtrim(strtr(base64_encode($b), '+/', '-_'), '=');
}

/** 43 characters from a CSPRNG, within RFC 7636 section 4.1's 43-128 unreserved characters. */
function new_verifier(): string
{
    return base64url(random_bytes(32));
}

/** RFC 7636 S256: BASE64URL-NOPAD(SHA-256(ASCII(verifier))). Send code_challenge_method=S256 with it. */
function s256_challenge(string $verifier): string
{
    return base64url(hash('sha256', $verifier, true));
}

/** Only for a server that still expects Zoom's old documented variant: base64 of the lowercase hex digest. */
function zoom_legacy_challenge(string $verifier): string
{
    return base64_encode(hash('sha256', $verifier));
}

if (PHP_SAPI === 'cli' && realpath($argv[0]) === __FILE__) {
    $v = $argv[1] ?? new_verifier();
    echo json_encode(['code_verifier' => $v, 'code_challenge' => s256_challenge($v), 'code_challenge_method' => 'S256',
        'zoom_legacy_challenge' => zoom_legacy_challenge($v)]), "\n";
}
