<?php
// The plain PHP page core/snippet's TestFrameworks serves with PHP's built-in server: the code is
// the one the PHP program's header shows, pasted where EXAMPLE stands. Warnings become exceptions,
// as Laravel's error handler makes them (there a warning is a 500).
set_error_handler(function (int $no, string $msg, string $file, int $line) {
    throw new ErrorException($msg, 0, $no, $file, $line);
});
require __DIR__ . '/zoom_app_context.php';
// EXAMPLE
header('Content-Type: application/json');
echo json_encode(['uid' => $ctx['uid'] ?? null]);
