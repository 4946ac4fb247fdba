// PKCE for Zoom OAuth: a code verifier and its S256 challenge (RFC 7636).
// Needs: Node.js 18 or later, no packages.
// Run:   node zoom-pkce.js [VERIFIER]
// Prints one JSON object; a VERIFIER that breaks RFC 7636 section 4.1 gets one line on stderr and exit 2.
'use strict';
const crypto = require('crypto');

const VERIFIER_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

// checkVerifier throws a RangeError unless verifier is 43-128 unreserved characters (RFC 7636 section 4.1).
function checkVerifier(verifier) {
  if (typeof verifier !== 'string' || verifier.length < 43 || verifier.length > 128) {
    const n = typeof verifier === 'string' ? verifier.length : 0;
    throw new RangeError(`verifier is ${n} characters; RFC 7636 section 4.1 wants 43 to 128`);
  }
  for (let i = 0; i < verifier.length; i++) {
    if (!VERIFIER_CHARS.includes(verifier[i])) {
      const u = verifier.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
      throw new RangeError(`verifier: character U+${u} at offset ${i} is not one of A-Z a-z 0-9 - . _ ~ (RFC 7636 section 4.1)`);
    }
  }
}

// 43 characters from a CSPRNG: 32 random bytes, base64url without padding.
const newVerifier = () => crypto.randomBytes(32).toString('base64url');

const sha256 = (verifier) => {
  checkVerifier(verifier);
  return crypto.createHash('sha256').update(verifier, 'ascii').digest();
};

// RFC 7636 S256: BASE64URL-NOPAD(SHA-256(ASCII(verifier))). Send code_challenge_method=S256 with it.
const s256Challenge = (verifier) => sha256(verifier).toString('base64url');

// Only for a server that still expects Zoom's old documented variant: base64 of the lowercase hex digest.
const zoomLegacyChallenge = (verifier) => Buffer.from(sha256(verifier).toString('hex')).toString('base64');

module.exports = { checkVerifier, newVerifier, s256Challenge, zoomLegacyChallenge };

if (require.main === module) {
  const v = process.argv.length > 2 ? process.argv[2] : newVerifier();
  try {
    checkVerifier(v);
  } catch (e) {
    console.error(`refused: ${e.message}`);
    process.exit(2);
  }
  console.log(JSON.stringify({ code_verifier: v, code_challenge: s256Challenge(v), code_challenge_method: 'S256',
    zoom_legacy_challenge: zoomLegacyChallenge(v) }));
}
