// A Node app that decrypts the context with Web Crypto, correctly (ciphertext||tag, tagLength
// 128), in an async handler. Bug, as written in the wild: a context that does not open rejects
// the handler's promise, nothing catches it, and Node ends the process on an unhandled rejection.
// Usage: ZOOM_CLIENT_SECRET=... node node_webcrypto.js  (prints its port)
const http = require('node:http');
const { webcrypto } = require('node:crypto');

async function decryptAppContext(context, secret) {
  const raw = Buffer.from(context, 'base64url');
  const ivLength = raw[0];
  const iv = raw.subarray(1, 1 + ivLength);
  let pos = 1 + ivLength;
  const aadLength = raw.readUInt16LE(pos);
  pos += 2;
  const aad = raw.subarray(pos, pos + aadLength);
  pos += aadLength + 4; // the ciphertext's length: Web Crypto wants ciphertext and tag together
  const data = raw.subarray(pos);
  const digest = await webcrypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  const key = await webcrypto.subtle.importKey('raw', digest, 'AES-GCM', false, ['decrypt']);
  const plain = await webcrypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 }, key, data);
  return JSON.parse(new TextDecoder().decode(plain));
}

http.createServer(async (req, res) => {
  const header = req.headers['x-zoom-app-context'];
  if (!header) {
    res.writeHead(401, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: 'open this app from Zoom' }));
    return;
  }
  const ctx = await decryptAppContext(header, process.env.ZOOM_CLIENT_SECRET);
  if (ctx.exp < Date.now() || ctx.iss !== 'marketplace.zoom.us') {
    res.writeHead(401, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: 'context expired' }));
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ uid: ctx.uid }));
}).listen(0, '127.0.0.1', function () {
  console.log(this.address().port);
});
