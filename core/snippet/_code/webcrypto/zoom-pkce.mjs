// PKCE for Zoom OAuth with Web Crypto only (browsers, Deno, Workers, Node 20+): RFC 7636 S256.
// Run: node zoom-pkce.mjs [VERIFIER]
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const sha256 = (s) => crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));

// 43 characters from a CSPRNG, within RFC 7636 section 4.1's 43-128 unreserved characters.
export const newVerifier = () => b64url(crypto.getRandomValues(new Uint8Array(32)));

// RFC 7636 S256: BASE64URL-NOPAD(SHA-256(ASCII(verifier))). Send code_challenge_method=S256 with it.
export const s256Challenge = async (verifier) => b64url(await sha256(verifier));

// Only for a server that still expects Zoom's old documented variant: base64 of the lowercase hex digest.
export const zoomLegacyChallenge = async (verifier) =>
  btoa([...new Uint8Array(await sha256(verifier))].map((b) => b.toString(16).padStart(2, '0')).join(''));

const args = globalThis.process?.argv?.slice(2) ?? globalThis.Deno?.args;
const isMain = globalThis.Deno ? import.meta.main : globalThis.process?.argv?.[1] && import.meta.url.endsWith(globalThis.process.argv[1].split('/').pop());
if (isMain && args) {
  const v = args[0] || newVerifier();
  console.log(JSON.stringify({ code_verifier: v, code_challenge: await s256Challenge(v), code_challenge_method: 'S256',
    zoom_legacy_challenge: await zoomLegacyChallenge(v) }));
}
