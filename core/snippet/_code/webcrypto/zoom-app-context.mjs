// Decrypt and check a Zoom Apps app context with Web Crypto only: the same module runs in browsers,
// Deno, Cloudflare Workers and Node 20+.
// Run: ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] node zoom-app-context.mjs TOKEN
const TAG_SIZE = 16;

function fromBase64url(s) {
  s = s.trim().replace(/=+$/, '');
  const bad = s.search(/[^A-Za-z0-9_-]/);
  if (bad >= 0) throw new Error(`not base64url: bad character at ${bad}`);
  if (s.length % 4 === 1) throw new Error('not base64url: impossible length');
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat(-s.length & 3));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export async function decryptAppContext(token, clientSecret, clientId, nowMs = Date.now()) {
  const buf = fromBase64url(token);
  const view = new DataView(buf.buffer);
  let off = 0;
  const take = (n, what) => {
    if (n > buf.length - off) throw new Error(`${what} at byte ${off}: needs ${n} bytes, only ${buf.length - off} remain`);
    off += n;
    return buf.subarray(off - n, off);
  };
  const ivLen = take(1, 'iv length')[0];
  const iv = take(ivLen, 'iv');
  take(2, 'aad length');
  const aad = take(view.getUint16(off - 2, true), 'aad');
  take(4, 'ciphertext length');
  const ciphertextAndTag = buf.subarray(off); // Web Crypto wants ciphertext and tag as one buffer
  const ciphertext = take(view.getUint32(off - 4, true), 'ciphertext');
  if (buf.length - off !== TAG_SIZE) throw new Error(`tag at byte ${off}: expected exactly ${TAG_SIZE} bytes, found ${buf.length - off}`);
  if (ivLen === 0 || ciphertext.length + TAG_SIZE !== ciphertextAndTag.length) throw new Error('bad layout');

  // Zoom's key is SHA-256 of the secret, used as is: not HKDF, not PBKDF2.
  const raw = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(clientSecret));
  const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt']);
  let plaintext;
  try {
    plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 }, key, ciphertextAndTag);
  } catch (e) { // OperationError
    throw new Error('tag mismatch: wrong client secret, or the token was altered');
  }

  let payload;
  try {
    payload = JSON.parse(new TextDecoder().decode(plaintext));
  } catch (e) {
    throw new Error('payload is not JSON');
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('payload is not a JSON object');
  if (typeof payload.exp !== 'number') throw new Error('payload has no numeric exp');
  if (payload.exp <= nowMs) throw new Error(`expired ${Math.floor((nowMs - payload.exp) / 1000)} s ago`); // exp is in ms
  if (clientId && payload.aud !== clientId) throw new Error(`aud ${JSON.stringify(payload.aud)} is not this app's client ID`);
  return payload;
}

// Run on its own under Node or Deno; in a browser or a Worker only the export above is used.
const env = globalThis.process?.env ?? globalThis.Deno?.env?.toObject?.();
const args = globalThis.process?.argv?.slice(2) ?? globalThis.Deno?.args;
const isMain = globalThis.Deno ? import.meta.main : globalThis.process?.argv?.[1] && import.meta.url.endsWith(globalThis.process.argv[1].split('/').pop());
if (isMain && env && args) {
  if (args.length !== 1 || !env.ZOOM_CLIENT_SECRET) {
    console.error('usage: ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] node zoom-app-context.mjs TOKEN');
    globalThis.process ? process.exit(2) : Deno.exit(2);
  }
  try {
    console.log(JSON.stringify(await decryptAppContext(args[0], env.ZOOM_CLIENT_SECRET, env.ZOOM_CLIENT_ID)));
  } catch (e) {
    console.error(`refused: ${e.message}`);
    globalThis.process ? process.exit(1) : Deno.exit(1);
  }
}
