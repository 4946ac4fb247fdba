<?php
// The session app with its production cookie settings copied into development: the session
// cookie is for app.example.com, so a client on any other host never sends it back, every request
// starts a new session and is redirected to itself again.
ini_set('session.cookie_domain', 'app.example.com');
require __DIR__ . '/session.php';
