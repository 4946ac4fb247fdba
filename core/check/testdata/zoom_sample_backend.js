// A reference backend for zoomdbg check's tests: it decrypts the app context exactly as Zoom's
// published Node sample does (base64 decode, the tag taken as "the rest of the buffer" with no
// pinned length, key sha256(secret)), checks exp in milliseconds as most samples do, and never
// checks aud. Node 20 then accepts a context whose tag is cut to 12, 8 or 4 bytes.
// Usage: ZOOM_CLIENT_SECRET=... node zoom_sample_backend.js  (prints the port it listens on)
const crypto = require('crypto');
const http = require('http');

function unpack(context) {
  let buf = Buffer.from(context, 'base64');
  const ivLength = buf.readUInt8();
  buf = buf.slice(1);
  const iv = buf.slice(0, ivLength);
  buf = buf.slice(ivLength);
  const aadLength = buf.readUInt16LE();
  buf = buf.slice(2);
  const aad = buf.slice(0, aadLength);
  buf = buf.slice(aadLength);
  const cipherLength = buf.readInt32LE();
  buf = buf.slice(4);
  const cipherText = buf.slice(0, cipherLength);
  const tag = buf.slice(cipherLength);
  return { iv, aad, cipherText, tag };
}

function decrypt(context, secret) {
  const { iv, aad, cipherText, tag } = unpack(context);
  const decipher = crypto
    .createDecipheriv('aes-256-gcm', crypto.createHash('sha256').update(secret).digest(), iv)
    .setAAD(aad)
    .setAuthTag(tag)
    .setAutoPadding(false);
  const decrypted = decipher.update(cipherText, 'hex', 'hex') + decipher.final('hex');
  return JSON.parse(Buffer.from(decrypted, 'hex').toString());
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
