// Decrypt and check a Zoom Apps app context (x-zoom-app-context / zoomSdk.getAppContext()).
// Run: ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] node zoom-app-context.js TOKEN
'use strict';
const crypto = require('crypto');

const TAG_SIZE = 16; // Node accepts a 4-byte tag unless told otherwise, which makes forgery feasible

function decryptAppContext(token, clientSecret, clientId, nowMs = Date.now()) {
  token = token.trim().replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(token)) {
    throw new Error(`not base64url: bad character at ${token.search(/[^A-Za-z0-9_-]/)}`);
  }
  const buf = Buffer.from(token, 'base64url');
  let off = 0;
  const take = (n, what) => {
    if (n > buf.length - off) throw new Error(`${what} at byte ${off}: needs ${n} bytes, only ${buf.length - off} remain`);
    off += n;
    return buf.subarray(off - n, off);
  };
  const iv = take(take(1, 'iv length')[0], 'iv');
  const aad = take(take(2, 'aad length').readUInt16LE(), 'aad');
  const ciphertext = take(take(4, 'ciphertext length').readUInt32LE(), 'ciphertext');
  const tag = buf.subarray(off);
  if (tag.length !== TAG_SIZE) throw new Error(`tag at byte ${off}: expected exactly ${TAG_SIZE} bytes, found ${tag.length}`);
  if (iv.length === 0) throw new Error('iv length is 0');

  // Zoom's key is SHA-256 of the secret, used as is: not HKDF, not PBKDF2.
  const key = crypto.createHash('sha256').update(clientSecret, 'utf8').digest();
  let plaintext;
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_SIZE });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (e) {
    throw new Error('tag mismatch: wrong client secret, or the token was altered');
  }

  let payload;
  try {
    payload = JSON.parse(plaintext.toString('utf8'));
  } catch (e) {
    throw new Error('payload is not JSON');
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('payload is not a JSON object');
  if (typeof payload.exp !== 'number') throw new Error('payload has no numeric exp');
  if (payload.exp <= nowMs) throw new Error(`expired ${Math.floor((nowMs - payload.exp) / 1000)} s ago`); // exp is in ms
  if (clientId && payload.aud !== clientId) throw new Error(`aud ${JSON.stringify(payload.aud)} is not this app's client ID`);
  return payload;
}

module.exports = { decryptAppContext };

if (require.main === module) {
  const secret = process.env.ZOOM_CLIENT_SECRET;
  if (process.argv.length !== 3 || !secret) {
    console.error('usage: ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] node zoom-app-context.js TOKEN');
    process.exit(2);
  }
  try {
    console.log(JSON.stringify(decryptAppContext(process.argv[2], secret, process.env.ZOOM_CLIENT_ID)));
  } catch (e) {
    console.error(`refused: ${e.message}`);
    process.exit(1);
  }
}
