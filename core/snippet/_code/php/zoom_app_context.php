<?php
// Decrypt and check a Zoom Apps app context (the x-zoom-app-context header, or
// zoomSdk.getAppContext() sent by your front end).
//
// Needs: PHP 7.4 or later with the openssl and json extensions (both in every common build).
// Run:   ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] php zoom_app_context.php TOKEN
//
// In plain PHP ($_SERVER holds the header, or not); in Laravel use $request->header('X-Zoom-App-Context'):
//
//   try {
//       $ctx = zoom_decrypt_app_context($_SERVER['HTTP_X_ZOOM_APP_CONTEXT'] ?? null, getenv('ZOOM_CLIENT_SECRET'),
//           getenv('ZOOM_CLIENT_ID') ?: null);
//   } catch (ZoomAppContextError $e) {
//       http_response_code($e->httpStatus());
//       header('Content-Type: application/json');
//       exit(json_encode(['verdict' => $e->verdict, 'reason' => $e->reason]));
//   }

const ZOOM_MAX_TOKEN_LEN = 8192; // far above a real context (~500 bytes); checked first, so all else is linear
const ZOOM_IV_SIZE = 12;         // Zoom seals with a 12-byte IV
const ZOOM_TAG_SIZE = 16;        // AES-GCM's full 128-bit tag
const ZOOM_MAX_DEPTH = 64;       // JSON nesting accepted in the payload
const ZOOM_SECONDS_BELOW = 1e11; // an exp or ts below this is epoch seconds, not milliseconds
const ZOOM_NUMBERS_BELOW = 1e15;
const ZOOM_BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The one exception zoom_decrypt_app_context throws for a token it refuses. $verdict is one of
 * no_token, malformed, tag_mismatch, bad_payload, wrong_aud, expired; $reason is the code zoomdbg
 * uses for the same refusal; getMessage() says why in words, never with the secret.
 */
class ZoomAppContextError extends Exception
{
    /** @var string */
    public $verdict;
    /** @var string */
    public $reason;

    public function __construct(string $verdict, string $reason, string $detail)
    {
        parent::__construct("$verdict/$reason: $detail");
        $this->verdict = $verdict;
        $this->reason = $reason;
    }

    /** 400 for a token that is not an app context at all, 401 for one not valid here and now. */
    public function httpStatus(): int
    {
        return $this->verdict === 'malformed' ? 400 : 401;
    }
}

/**
 * Returns the payload of a Zoom app context as an array, or throws ZoomAppContextError. $header is
 * the value as PHP hands it over: a string, or null when absent. $clientId, when given, must equal
 * the payload's aud. $nowMs is the current time in epoch milliseconds. An empty $clientSecret is the
 * server's fault, not the token's: it throws InvalidArgumentException.
 */
function zoom_decrypt_app_context(?string $header, string $clientSecret, ?string $clientId = null, ?int $nowMs = null): array
{
    if ($clientSecret === '') {
        throw new InvalidArgumentException('client secret is empty: set ZOOM_CLIENT_SECRET');
    }
    [$iv, $aad, $ciphertext, $tag] = zoom_split_layout(zoom_decode_token($header));
    // Zoom's key is SHA-256 of the secret, used as is: not HKDF, not PBKDF2.
    $key = hash('sha256', $clientSecret, true);
    $plaintext = openssl_decrypt($ciphertext, 'aes-256-gcm', $key, OPENSSL_RAW_DATA, $iv, $tag, $aad);
    if ($plaintext === false) {
        throw new ZoomAppContextError('tag_mismatch', 'tag', 'tag mismatch: wrong client secret, or the token was altered');
    }
    $payload = zoom_parse_payload($plaintext);
    zoom_check_claims($payload, $clientId, $nowMs ?? (int) floor(microtime(true) * 1000));
    return $payload;
}

function zoom_malformed(string $reason, string $detail): ZoomAppContextError
{
    return new ZoomAppContextError('malformed', $reason, $detail);
}

function zoom_bad_payload(string $reason, string $detail): ZoomAppContextError
{
    return new ZoomAppContextError('bad_payload', $reason, $detail);
}

function zoom_decode_token(?string $h): string
{
    if ($h === null || $h === '') {
        throw new ZoomAppContextError('no_token', 'missing', 'no app context: the header is absent or empty');
    }
    $n = strlen($h);
    if ($n > ZOOM_MAX_TOKEN_LEN) {
        throw zoom_malformed('too_long', sprintf('token is %d bytes, more than %d', $n, ZOOM_MAX_TOKEN_LEN));
    }
    $end = $n; // substr($h, $end) is the trailing '=' padding, counted with a loop
    while ($end > 0 && $h[$end - 1] === '=') {
        $end--;
    }
    $std = $bad = -1;
    for ($i = 0; $i < $end; $i++) {
        $c = $h[$i];
        if ($c === '+' || $c === '/') {
            $std = $std < 0 ? $i : $std;
        } elseif ($bad < 0 && strpos(ZOOM_BASE64URL, $c) === false) {
            $bad = $i;
        }
    }
    if ($std >= 0) {
        throw zoom_malformed('std_base64', sprintf("'%s' at offset %d: standard base64, Zoom sends base64url ('-' and '_')", $h[$std], $std));
    }
    if ($bad >= 0) {
        throw zoom_malformed('bad_char', sprintf('byte 0x%02x at offset %d is not base64url', ord($h[$bad]), $bad));
    }
    if ($n - $end > 2) {
        throw zoom_malformed('bad_padding', sprintf("%d '=' at the end: at most 2", $n - $end));
    }
    if ($end % 4 === 1) {
        throw zoom_malformed('bad_length', sprintf('%d characters is not a base64url length', $end));
    }
    // Only base64url characters reach the decoder; non-zero unused bits are accepted, as everywhere.
    return (string) base64_decode(strtr(substr($h, 0, $end), '-_', '+/'));
}

/** Reads ivLen u8 | iv | aadLen u16 LE | aad | cipherLen u32 LE | ciphertext | tag. */
function zoom_split_layout(string $b): array
{
    $n = strlen($b);
    if ($n < 1) {
        throw zoom_malformed('truncated', 'no bytes: the token ends before the IV length');
    }
    if (ord($b[0]) !== ZOOM_IV_SIZE) {
        throw zoom_malformed('iv_length', sprintf('IV length %d, Zoom uses %d', ord($b[0]), ZOOM_IV_SIZE));
    }
    $off = 1 + ZOOM_IV_SIZE;
    if ($n < $off + 2) {
        throw zoom_malformed('truncated', sprintf('the token ends at byte %d, before the AAD length', $n));
    }
    $iv = substr($b, 1, ZOOM_IV_SIZE);
    $aadLen = unpack('v', $b, $off)[1];
    $off += 2;
    if ($n - $off < $aadLen + 4) {
        throw zoom_malformed('truncated', sprintf('the token ends at byte %d, before the AAD and ciphertext length', $n));
    }
    $aad = (string) substr($b, $off, $aadLen);
    $off += $aadLen;
    $cipherLen = unpack('V', $b, $off)[1]; // up to 2^32-1: an int on 64-bit PHP
    $off += 4;
    $rest = $n - $off;
    if ($rest < $cipherLen) {
        throw zoom_malformed('truncated', sprintf('ciphertext length %d, only %d bytes remain', $cipherLen, $rest));
    }
    if ($rest < $cipherLen + ZOOM_TAG_SIZE) {
        throw zoom_malformed('short_tag', sprintf('tag is %d bytes, AES-GCM needs %d', $rest - $cipherLen, ZOOM_TAG_SIZE));
    }
    if ($rest > $cipherLen + ZOOM_TAG_SIZE) {
        throw zoom_malformed('trailing_bytes', sprintf('%d bytes after the tag', $rest - $cipherLen - ZOOM_TAG_SIZE));
    }
    return [$iv, $aad, (string) substr($b, $off, $cipherLen), substr($b, $off + $cipherLen)];
}

/**
 * The deepest bracket nesting outside strings, and, when the text starts with '{', the index just
 * past the bracket that closes it (else 0). Linear.
 */
function zoom_scan_json(string $s): array
{
    $n = strlen($s);
    $lead = strspn($s, " \t\r\n");
    $isObject = $lead < $n && $s[$lead] === '{';
    $deepest = $depth = $end = 0;
    $inString = $escaped = false;
    for ($i = 0; $i < $n; $i++) {
        $c = $s[$i];
        if ($inString) {
            if ($escaped) {
                $escaped = false;
            } elseif ($c === '\\') {
                $escaped = true;
            } elseif ($c === '"') {
                $inString = false;
            }
        } elseif ($c === '"') {
            $inString = true;
        } elseif ($c === '{' || $c === '[') {
            $deepest = max($deepest, ++$depth);
        } elseif ($c === '}' || $c === ']') {
            if (--$depth === 0 && $isObject && $end === 0) {
                $end = $i + 1;
            }
        }
    }
    return [$deepest, $end];
}

/** json_decode is strict RFC 8259 (no NaN, leading zeros, '+' or raw control characters). */
function zoom_json_valid(string $s): bool
{
    json_decode($s, true);
    return json_last_error() === JSON_ERROR_NONE;
}

function zoom_parse_payload(string $p): array
{
    if (preg_match('//u', $p) !== 1) { // the empty pattern: PCRE's linear UTF-8 check, nothing more
        throw zoom_bad_payload('not_utf8', 'payload is not UTF-8');
    }
    if (strncmp($p, "\xEF\xBB\xBF", 3) === 0) {
        throw zoom_bad_payload('bom', 'payload starts with a UTF-8 byte order mark');
    }
    [$deepest, $end] = zoom_scan_json($p);
    if ($deepest > ZOOM_MAX_DEPTH) {
        throw zoom_bad_payload('too_deep', sprintf('payload nests deeper than %d', ZOOM_MAX_DEPTH));
    }
    if ($end > 0 && strspn($p, " \t\r\n", $end) !== strlen($p) - $end) {
        if (!zoom_json_valid(substr($p, 0, $end))) {
            throw zoom_bad_payload('not_json', 'payload is not JSON');
        }
        throw zoom_bad_payload('trailing_data', 'payload has data after its JSON object');
    }
    $payload = json_decode($p, true);
    if (json_last_error() !== JSON_ERROR_NONE) {
        throw zoom_bad_payload('not_json', 'payload is not JSON');
    }
    // An object and a list both decode to arrays: the first character tells them apart.
    if (!is_array($payload) || $p[strspn($p, " \t\r\n")] !== '{') {
        throw zoom_bad_payload('not_object', 'payload is JSON but not an object');
    }
    return $payload;
}

/** exp or ts: a finite JSON number of epoch milliseconds. */
function zoom_claim_time(string $name, $v): float
{
    if (!is_int($v) && !is_float($v)) {
        throw zoom_bad_payload("{$name}_type", "$name is not a number");
    }
    if (!is_finite((float) $v) || $v <= 0 || $v >= ZOOM_NUMBERS_BELOW) {
        throw zoom_bad_payload("{$name}_type", "$name $v is not epoch milliseconds");
    }
    if ($v < ZOOM_SECONDS_BELOW) {
        throw zoom_bad_payload("{$name}_seconds", "$name $v is in seconds; Zoom sends milliseconds");
    }
    return (float) $v;
}

function zoom_check_claims(array $payload, ?string $clientId, int $nowMs): void
{
    if (!array_key_exists('exp', $payload)) {
        throw zoom_bad_payload('exp_missing', 'payload has no exp');
    }
    $exp = zoom_claim_time('exp', $payload['exp']);
    if (array_key_exists('ts', $payload)) {
        zoom_claim_time('ts', $payload['ts']);
    }
    if ($clientId !== null && $clientId !== '' && ($payload['aud'] ?? null) !== $clientId) {
        throw new ZoomAppContextError('wrong_aud', 'aud', "aud is not this app's client ID");
    }
    if ($nowMs >= $exp) {
        throw new ZoomAppContextError('expired', 'expired', sprintf('expired %d ms ago (a context lives about 2 minutes)', $nowMs - $exp));
    }
}

if (PHP_SAPI === 'cli' && isset($argv[0]) && realpath($argv[0]) === __FILE__) {
    $secret = getenv('ZOOM_CLIENT_SECRET');
    if ($argc !== 2 || !$secret) {
        fwrite(STDERR, "usage: ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] php zoom_app_context.php TOKEN\n");
        exit(2);
    }
    try {
        $clientId = getenv('ZOOM_CLIENT_ID');
        echo json_encode(zoom_decrypt_app_context($argv[1], $secret, $clientId === false ? null : $clientId)), "\n";
    } catch (ZoomAppContextError $e) {
        fwrite(STDERR, 'refused: ' . $e->getMessage() . "\n");
        exit(1);
    }
}
