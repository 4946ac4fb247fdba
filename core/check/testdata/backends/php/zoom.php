<?php
// The app context decryption a PHP developer writes from Zoom's docs, shared by the pages here.
// $key is what the page hands openssl_decrypt. Bugs, as written in the wild: the tag's length is
// never checked (openssl_decrypt takes 1 to 16 bytes), and exp (milliseconds) is compared with
// time() (seconds).
function decrypt_app_context(string $context, string $key): ?array
{
    $raw = base64_decode(strtr($context, '-_', '+/'));
    if ($raw === false || strlen($raw) < 8) {
        return null;
    }
    $ivLength = ord($raw[0]);
    $iv = substr($raw, 1, $ivLength);
    $pos = 1 + $ivLength;
    $aadLength = unpack('v', substr($raw, $pos, 2))[1];
    $pos += 2;
    $aad = substr($raw, $pos, $aadLength);
    $pos += $aadLength;
    $cipherLength = unpack('V', substr($raw, $pos, 4))[1];
    $pos += 4;
    $ciphertext = substr($raw, $pos, $cipherLength);
    $tag = substr($raw, $pos + $cipherLength);
    $json = @openssl_decrypt($ciphertext, 'aes-256-gcm', $key, OPENSSL_RAW_DATA, $iv, $tag, $aad);
    if ($json === false) {
        return null;
    }
    $ctx = json_decode($json, true);
    if (!is_array($ctx) || $ctx['exp'] < time()) {
        return null;
    }
    return $ctx;
}
