// Decrypt and check a Zoom Apps app context (the x-zoom-app-context header, or
// zoomSdk.getAppContext() sent by your front end) with Web Crypto only: the same module runs in
// Node.js 20+, Deno 2, Bun 1, Cloudflare Workers (workerd) and browsers. It only exports; to try it
// from a terminal, save zoomdbg's zoom-app-context-cli.mjs beside it (zoomdbg snippet webcrypto --cli).
//
// In a Cloudflare Worker (Deno.serve and Bun.serve take the same fetch handler):
//
//   import { decryptAppContext, AppContextError } from './zoom-app-context.mjs';
//   export default {
//     async fetch(request, env) {
//       try {
//         const ctx = await decryptAppContext(request.headers.get('x-zoom-app-context'), env.ZOOM_CLIENT_SECRET,
//           env.ZOOM_CLIENT_ID);
//         return Response.json({ uid: ctx.uid });
//       } catch (e) {
//         if (!(e instanceof AppContextError)) throw e; // an empty secret: the Worker is misconfigured
//         return Response.json({ verdict: e.verdict, reason: e.reason }, { status: e.httpStatus });
//       }
//     },
//   };

const MAX_TOKEN_LEN = 8192; // far above a real context (~500 bytes); checked first, so all else is linear
const IV_SIZE = 12; // Zoom seals with a 12-byte IV
const TAG_SIZE = 16; // AES-GCM's full 128-bit tag
const MAX_DEPTH = 64; // JSON nesting accepted in the payload
const SECONDS_BELOW = 1e11; // an exp or ts below this is epoch seconds, not milliseconds
const NUMBERS_BELOW = 1e15;
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// AppContextError is the one error decryptAppContext rejects with for a token it refuses. verdict
// is one of no_token, malformed, tag_mismatch, bad_payload, wrong_aud, expired; reason is the code
// zoomdbg uses for the same refusal; message says why in words, never with the secret.
export class AppContextError extends Error {
  constructor(verdict, reason, detail) {
    super(`${verdict}/${reason}: ${detail}`);
    this.name = 'AppContextError';
    this.verdict = verdict;
    this.reason = reason;
  }

  // 400 for a token that is not an app context at all, 401 for one not valid here and now.
  get httpStatus() {
    return this.verdict === 'malformed' ? 400 : 401;
  }
}

const malformed = (reason, detail) => new AppContextError('malformed', reason, detail);
const badPayload = (reason, detail) => new AppContextError('bad_payload', reason, detail);

// decryptAppContext resolves to the payload of a Zoom app context, or rejects with
// AppContextError. header is the value as the platform hands it over: a string, or null (Headers.get)
// or undefined when absent. clientId, when given, must equal the payload's aud. nowMs is the current
// time in epoch milliseconds. An empty clientSecret is the server's fault: it rejects with a TypeError.
export async function decryptAppContext(header, clientSecret, clientId, nowMs) {
  if (typeof clientSecret !== 'string' || clientSecret === '') {
    throw new TypeError('client secret is empty: set ZOOM_CLIENT_SECRET');
  }
  const { iv, aad, sealed } = splitLayout(decodeToken(header));
  // Zoom's key is SHA-256 of the secret, used as is: not HKDF, not PBKDF2.
  const raw = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(clientSecret));
  const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt']);
  let plaintext;
  try {
    plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 }, key, sealed);
  } catch (e) { // OperationError
    throw new AppContextError('tag_mismatch', 'tag', 'tag mismatch: wrong client secret, or the token was altered');
  }
  const payload = parsePayload(new Uint8Array(plaintext));
  checkClaims(payload, clientId, nowMs ?? Date.now());
  return payload;
}

function decodeToken(h) {
  if (h === undefined || h === null || h === '') {
    throw new AppContextError('no_token', 'missing', 'no app context: the header is absent or empty');
  }
  if (typeof h !== 'string') throw new TypeError('header must be a string, undefined or null');
  if (h.length > MAX_TOKEN_LEN) throw malformed('too_long', `token is ${h.length} bytes, more than ${MAX_TOKEN_LEN}`);
  let end = h.length; // h.slice(end) is the trailing '=' padding, counted with a loop
  while (end > 0 && h[end - 1] === '=') end--;
  let std = -1;
  let bad = -1;
  for (let i = 0; i < end; i++) {
    const c = h[i];
    if (c === '+' || c === '/') {
      if (std < 0) std = i;
    } else if (B64URL.indexOf(c) < 0 && bad < 0) {
      bad = i;
    }
  }
  if (std >= 0) throw malformed('std_base64', `'${h[std]}' at offset ${std}: standard base64, Zoom sends base64url ('-' and '_')`);
  if (bad >= 0) {
    const u = h.charCodeAt(bad).toString(16).toUpperCase().padStart(4, '0');
    throw malformed('bad_char', `character U+${u} at offset ${bad} is not base64url`);
  }
  if (h.length - end > 2) throw malformed('bad_padding', `${h.length - end} '=' at the end: at most 2`);
  if (end % 4 === 1) throw malformed('bad_length', `${end} characters is not a base64url length`);
  const out = new Uint8Array(Math.floor((end * 6) / 8));
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (let i = 0; i < end; i++) { // base64url by hand: atob wants the standard alphabet
    acc = ((acc << 6) | B64URL.indexOf(h[i])) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

// splitLayout reads ivLen u8 | iv | aadLen u16 LE | aad | cipherLen u32 LE | ciphertext | tag.
function splitLayout(b) {
  if (b.length < 1) throw malformed('truncated', 'no bytes: the token ends before the IV length');
  if (b[0] !== IV_SIZE) throw malformed('iv_length', `IV length ${b[0]}, Zoom uses ${IV_SIZE}`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let off = 1 + IV_SIZE;
  if (b.length < off + 2) throw malformed('truncated', `the token ends at byte ${b.length}, before the AAD length`);
  const iv = b.subarray(1, off);
  const aadLen = view.getUint16(off, true);
  off += 2;
  if (b.length - off < aadLen + 4) {
    throw malformed('truncated', `the token ends at byte ${b.length}, before the AAD and ciphertext length`);
  }
  const aad = b.subarray(off, off + aadLen);
  off += aadLen;
  const cipherLen = view.getUint32(off, true); // up to 2^32-1: still exact in a double
  off += 4;
  const rest = b.length - off;
  if (rest < cipherLen) throw malformed('truncated', `ciphertext length ${cipherLen}, only ${rest} bytes remain`);
  if (rest < cipherLen + TAG_SIZE) throw malformed('short_tag', `tag is ${rest - cipherLen} bytes, AES-GCM needs ${TAG_SIZE}`);
  if (rest > cipherLen + TAG_SIZE) throw malformed('trailing_bytes', `${rest - cipherLen - TAG_SIZE} bytes after the tag`);
  return { iv, aad, sealed: b.subarray(off) }; // Web Crypto wants ciphertext and tag as one buffer
}

const isJSONSpace = (c) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

// scanJSON returns the deepest bracket nesting outside strings, and, when the text starts with
// '{', the index just past the bracket that closes it (else 0). Linear.
function scanJSON(text) {
  let lead = 0;
  while (lead < text.length && isJSONSpace(text[lead])) lead++;
  const isObject = text[lead] === '{';
  let deepest = 0;
  let depth = 0;
  let end = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '{' || c === '[') {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0 && isObject && end === 0) end = i + 1;
    }
  }
  return { deepest, end };
}

function isBlank(s) {
  for (let i = 0; i < s.length; i++) if (!isJSONSpace(s[i])) return false;
  return true;
}

function parseJSON(text) {
  try {
    return { ok: true, value: JSON.parse(text) }; // strict RFC 8259: no NaN, leading zeros or '+'
  } catch (e) {
    return { ok: false };
  }
}

function parsePayload(p) {
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(p);
  } catch (e) {
    throw badPayload('not_utf8', 'payload is not UTF-8');
  }
  if (text.charCodeAt(0) === 0xfeff) throw badPayload('bom', 'payload starts with a UTF-8 byte order mark');
  const { deepest, end } = scanJSON(text);
  if (deepest > MAX_DEPTH) throw badPayload('too_deep', `payload nests deeper than ${MAX_DEPTH}`);
  if (end > 0 && !isBlank(text.slice(end))) {
    if (!parseJSON(text.slice(0, end)).ok) throw badPayload('not_json', 'payload is not JSON');
    throw badPayload('trailing_data', 'payload has data after its JSON object');
  }
  const { ok, value } = parseJSON(text);
  if (!ok) throw badPayload('not_json', 'payload is not JSON');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badPayload('not_object', 'payload is JSON but not an object');
  }
  return value;
}

// claimTime checks exp or ts: a finite JSON number of epoch milliseconds.
function claimTime(name, v) {
  if (typeof v !== 'number') throw badPayload(`${name}_type`, `${name} is not a number`);
  if (!Number.isFinite(v) || v <= 0 || v >= NUMBERS_BELOW) {
    throw badPayload(`${name}_type`, `${name} ${v} is not epoch milliseconds`);
  }
  if (v < SECONDS_BELOW) throw badPayload(`${name}_seconds`, `${name} ${v} is in seconds; Zoom sends milliseconds`);
  return v;
}

const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

function checkClaims(payload, clientId, nowMs) {
  if (!has(payload, 'exp')) throw badPayload('exp_missing', 'payload has no exp');
  const exp = claimTime('exp', payload.exp);
  if (has(payload, 'ts')) claimTime('ts', payload.ts);
  if (clientId && (typeof payload.aud !== 'string' || payload.aud !== clientId)) {
    throw new AppContextError('wrong_aud', 'aud', "aud is not this app's client ID");
  }
  if (nowMs >= exp) throw new AppContextError('expired', 'expired', `expired ${nowMs - exp} ms ago (a context lives about 2 minutes)`);
}
