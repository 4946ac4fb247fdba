// Verify a Zoom webhook delivery and answer the endpoint.url_validation handshake with Web Crypto:
// Cloudflare Workers, Deno, Bun, Vercel Edge, Node 20+.
//
// Run: ZOOM_WEBHOOK_SECRET_TOKEN=... node zoom-webhook.mjs [TIMESTAMP [SIGNATURE]] < body.json
//
// In a Worker: const raw = new Uint8Array(await request.arrayBuffer());  (never JSON.stringify(await request.json()))
//   const event = await verifyZoomWebhook(raw, request.headers.get('x-zm-request-timestamp'),
//                                         request.headers.get('x-zm-signature'), env.ZOOM_WEBHOOK_SECRET_TOKEN);
export class ZoomWebhookError extends Error {}

const enc = new TextEncoder();

async function hmacKey(secretToken, usage) {
  return crypto.subtle.importKey('raw', enc.encode(secretToken), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

function hexToBytes(hex) {
  if (!/^[0-9a-f]{64}$/.test(hex)) return null; // Zoom sends 64 lowercase hex digits
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

// verifyZoomWebhook resolves to the event once its x-zm-signature verifies, or rejects with
// ZoomWebhookError. rawBody is a Uint8Array as received; the headers are null when absent.
export async function verifyZoomWebhook(rawBody, timestamp, signature, secretToken) {
  if (!secretToken) throw new ZoomWebhookError('the secret token is empty: refusing every delivery');
  if (typeof timestamp !== 'string' || !timestamp || typeof signature !== 'string' || !signature) {
    throw new ZoomWebhookError('missing x-zm-request-timestamp or x-zm-signature header');
  }
  const mac = signature.startsWith('v0=') ? hexToBytes(signature.slice(3)) : null;
  if (!mac) throw new ZoomWebhookError('signature mismatch');
  // Zoom signs "v0:" + the timestamp header (seconds) + ":" + the raw body.
  const prefix = enc.encode(`v0:${timestamp}:`);
  const message = new Uint8Array(prefix.length + rawBody.length);
  message.set(prefix);
  message.set(rawBody, prefix.length);
  // subtle.verify compares in constant time.
  if (!(await crypto.subtle.verify('HMAC', await hmacKey(secretToken, 'verify'), mac, message))) {
    throw new ZoomWebhookError('signature mismatch');
  }
  let event;
  try { event = JSON.parse(new TextDecoder().decode(rawBody)); } catch (e) { throw new ZoomWebhookError('the body is not JSON'); }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) throw new ZoomWebhookError('the body is not a JSON object');
  return event;
}

// urlValidationResponse is the answer to a VERIFIED endpoint.url_validation event (HTTP 200, JSON).
export async function urlValidationResponse(event, secretToken) {
  const plainToken = event.payload && event.payload.plainToken;
  if (typeof plainToken !== 'string') throw new ZoomWebhookError('url_validation without payload.plainToken');
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secretToken, 'sign'), enc.encode(plainToken)));
  return { plainToken, encryptedToken: Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('') };
}

// Run on its own under Node or Deno; in a Worker only the exports above are used.
const env = globalThis.process?.env ?? globalThis.Deno?.env?.toObject?.();
const args = globalThis.process?.argv?.slice(2) ?? globalThis.Deno?.args;
const isMain = globalThis.Deno ? import.meta.main : globalThis.process?.argv?.[1] && import.meta.url.endsWith(globalThis.process.argv[1].split('/').pop());
if (isMain && env && args) {
  const raw = globalThis.Deno
    ? new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer())
    : new Uint8Array(await new Response(globalThis.process.stdin).arrayBuffer());
  const secret = env.ZOOM_WEBHOOK_SECRET_TOKEN;
  try {
    const event = await verifyZoomWebhook(raw, args[0] ?? null, args[1] ?? null, secret);
    if (event.event === 'endpoint.url_validation') console.log(JSON.stringify(await urlValidationResponse(event, secret)));
    else console.log('verified', event.event);
  } catch (e) {
    if (!(e instanceof ZoomWebhookError)) throw e;
    console.error(`refused: ${e.message}`);
    globalThis.process ? process.exit(1) : Deno.exit(1);
  }
}
