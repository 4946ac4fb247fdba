<?php
// A PHP app that logs the Zoom user in once: the context opens a session, then a redirect to
// itself (Post/Redirect/Get) so reloads need no context. Served by PHP's built-in server.
require __DIR__ . '/zoom.php';

session_start();
header('Content-Type: text/html; charset=utf-8');
if (isset($_SESSION['zoom_uid'])) {
    echo '<h1>Welcome back, ' . htmlspecialchars($_SESSION['zoom_uid']) . '</h1>';
    exit;
}
$context = $_SERVER['HTTP_X_ZOOM_APP_CONTEXT'] ?? '';
if ($context === '') {
    http_response_code(401);
    echo '<p>Open this app from Zoom.</p>';
    exit;
}
$ctx = decrypt_app_context($context, hash('sha256', getenv('ZOOM_CLIENT_SECRET'), true));
if ($ctx === null) {
    http_response_code(401);
    echo '<p>Your Zoom session could not be verified.</p>';
    exit;
}
$_SESSION['zoom_uid'] = $ctx['uid'];
header('Location: ' . $_SERVER['REQUEST_URI'], true, 302);
