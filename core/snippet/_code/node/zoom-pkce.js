// PKCE for Zoom OAuth: a code verifier and its S256 challenge (RFC 7636).
// Run: node zoom-pkce.js [VERIFIER]
'use strict';
const crypto = require('crypto');

// 43 characters from a CSPRNG, within RFC 7636 section 4.1's 43-128 unreserved characters.
const newVerifier = () => crypto.randomBytes(32).toString('base64url');

// RFC 7636 S256: BASE64URL-NOPAD(SHA-256(ASCII(verifier))). Send code_challenge_method=S256 with it.
const s256Challenge = (verifier) => crypto.createHash('sha256').update(verifier, 'ascii').digest('base64url');

// Only for a server that still expects Zoom's old documented variant: base64 of the lowercase hex digest.
const zoomLegacyChallenge = (verifier) =>
  Buffer.from(crypto.createHash('sha256').update(verifier, 'ascii').digest('hex')).toString('base64');

module.exports = { newVerifier, s256Challenge, zoomLegacyChallenge };

if (require.main === module) {
  const v = process.argv[2] || newVerifier();
  console.log(JSON.stringify({ code_verifier: v, code_challenge: s256Challenge(v), code_challenge_method: 'S256',
    zoom_legacy_challenge: zoomLegacyChallenge(v) }));
}
