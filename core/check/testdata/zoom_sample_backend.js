// A reference backend for zoomdbg check's tests: it decrypts the app context exactly as Zoom's
// published Node sample does (base64 decode, the tag taken as "the rest of the buffer" with no
// pinned length, key sha256(secret)), checks exp in milliseconds as most samples do, and never
// checks aud. Node 20 then accepts a context whose tag is cut to 12, 8 or 4 bytes.
// Usage: ZOOM_CLIENT_SECRET=... node zoom_sample_backend.js  (prints the port it listens on)
const crypto = require('crypto');
const http = require('http');

// The sample's logic lives once, in fixtures/zoomsample.
const sample = require('../../../fixtures/zoomsample/zoom_sample.js');

function decrypt(context, secret) {
  return JSON.parse(sample.decrypt(context, secret));
}

const secret = process.env.ZOOM_CLIENT_SECRET;
const server = http.createServer((req, res) => {
  const headers = { 'Content-Type': 'text/html; charset=utf-8', 'Strict-Transport-Security': 'max-age=31536000',
    'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': "default-src 'self'", 'Referrer-Policy': 'same-origin' };
  try {
    const ctx = decrypt(req.headers['x-zoom-app-context'], secret);
    if (ctx.exp < Date.now()) throw new Error('expired');
    res.writeHead(200, headers);
    res.end(`<html><body>hello ${ctx.uid}</body></html>`);
  } catch (e) {
    res.writeHead(401, headers);
    res.end('<html><body>unauthorized</body></html>');
  }
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
