// PKCE for Zoom OAuth with Web Crypto only (Node.js 20+, Deno 2, Bun 1, Workers, browsers): RFC 7636 S256.
// It only exports; to try it from a terminal, save zoomdbg's zoom-pkce-cli.mjs beside it
// (zoomdbg snippet webcrypto --pkce --cli).
const VERIFIER_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// checkVerifier throws a RangeError unless verifier is 43-128 unreserved characters (RFC 7636 section 4.1).
export function checkVerifier(verifier) {
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

// b64url encodes bytes as base64url without padding, by hand (btoa needs a binary string).
function b64url(bytes) {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of new Uint8Array(bytes)) {
    acc = ((acc << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += B64URL[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += B64URL[(acc << (6 - bits)) & 63];
  return out;
}

async function sha256(verifier) {
  checkVerifier(verifier);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
}

// 43 characters from a CSPRNG: 32 random bytes, base64url without padding.
export const newVerifier = () => b64url(crypto.getRandomValues(new Uint8Array(32)));

// RFC 7636 S256: BASE64URL-NOPAD(SHA-256(ASCII(verifier))). Send code_challenge_method=S256 with it.
export const s256Challenge = async (verifier) => b64url(await sha256(verifier));

// Only for a server that still expects Zoom's old documented variant: base64 of the lowercase hex digest.
export const zoomLegacyChallenge = async (verifier) =>
  btoa([...(await sha256(verifier))].map((b) => b.toString(16).padStart(2, '0')).join(''));
