<?php
// The PHP app-context program's test harness (core/snippet's tests): one case a line on stdin,
// "hex header or -<TAB>client ID or -<TAB>now ms"; prints "verdict<TAB>reason<TAB>payload JSON or
// message", or "crash<TAB>what" when anything but ZoomAppContextError escapes. Every warning and
// notice is turned into an exception first, as Laravel's error handler does (a warning there is a 500).
set_error_handler(function (int $no, string $msg, string $file, int $line) {
    throw new ErrorException($msg, 0, $no, $file, $line);
});
require $argv[1];

$secret = getenv('ZOOM_CLIENT_SECRET');
while (($line = fgets(STDIN)) !== false) {
    [$h, $cid, $now] = explode("\t", rtrim($line, "\n"));
    $header = $h === '-' ? null : hex2bin($h); // $_SERVER holds header bytes as they came
    try {
        $payload = zoom_decrypt_app_context($header, $secret, $cid === '-' ? null : $cid, (int) $now);
        $out = "ok\t\t" . json_encode($payload, JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION);
    } catch (ZoomAppContextError $e) {
        $out = "{$e->verdict}\t{$e->reason}\t{$e->getMessage()}";
    } catch (Throwable $e) {
        $out = 'crash' . "\t" . get_class($e) . ': ' . $e->getMessage();
    }
    echo str_replace("\n", ' ', $out), "\n";
}
