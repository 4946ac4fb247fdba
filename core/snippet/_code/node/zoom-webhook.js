// Verify a Zoom webhook delivery and answer the endpoint.url_validation handshake.
//
// Run: ZOOM_WEBHOOK_SECRET_TOKEN=... node zoom-webhook.js [TIMESTAMP [SIGNATURE]] < body.json
// Needs: Node 16+, no packages.
//
// With Express, give the route the RAW body, never JSON.stringify(req.body) (Zoom's sample does,
// and it breaks on bodies whose escapes or numbers do not survive re-serialisation):
//   app.post('/webhook', express.raw({ type: 'application/json' }), (req, res) => {
//     try {
//       const event = verifyZoomWebhook(req.body, req.headers['x-zm-request-timestamp'],
//                                       req.headers['x-zm-signature'], process.env.ZOOM_WEBHOOK_SECRET_TOKEN);
//       if (event.event === 'endpoint.url_validation') return res.json(urlValidationResponse(event, process.env.ZOOM_WEBHOOK_SECRET_TOKEN));
//       res.sendStatus(204); // answer within 3 s; do the work after
//     } catch (e) { if (e instanceof ZoomWebhookError) return res.status(401).send(e.message); throw e; }
//   });
'use strict';
const crypto = require('crypto');

class ZoomWebhookError extends Error {}

// verifyZoomWebhook returns the event once its x-zm-signature verifies, or throws ZoomWebhookError.
// rawBody is a Buffer as received; timestamp and signature are the header values (undefined when absent).
function verifyZoomWebhook(rawBody, timestamp, signature, secretToken) {
  if (!secretToken) throw new ZoomWebhookError('the secret token is empty: refusing every delivery');
  if (typeof timestamp !== 'string' || !timestamp || typeof signature !== 'string' || !signature) {
    throw new ZoomWebhookError('missing x-zm-request-timestamp or x-zm-signature header');
  }
  // Zoom signs "v0:" + the timestamp header (seconds) + ":" + the raw body, and sends "v0=" + lowercase hex.
  const mac = crypto.createHmac('sha256', secretToken).update(`v0:${timestamp}:`).update(rawBody).digest('hex');
  const expected = Buffer.from(`v0=${mac}`);
  const got = Buffer.from(signature);
  if (got.length !== expected.length || !crypto.timingSafeEqual(got, expected)) {
    throw new ZoomWebhookError('signature mismatch');
  }
  let event;
  try { event = JSON.parse(rawBody.toString('utf8')); } catch (e) { throw new ZoomWebhookError('the body is not JSON'); }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) throw new ZoomWebhookError('the body is not a JSON object');
  return event;
}

// urlValidationResponse is the answer to a VERIFIED endpoint.url_validation event (HTTP 200, JSON).
function urlValidationResponse(event, secretToken) {
  const plainToken = event.payload && event.payload.plainToken;
  if (typeof plainToken !== 'string') throw new ZoomWebhookError('url_validation without payload.plainToken');
  return { plainToken, encryptedToken: crypto.createHmac('sha256', secretToken).update(plainToken).digest('hex') };
}

module.exports = { verifyZoomWebhook, urlValidationResponse, ZoomWebhookError };

if (require.main === module) {
  const chunks = [];
  process.stdin.on('data', (c) => chunks.push(c));
  process.stdin.on('end', () => {
    const secret = process.env.ZOOM_WEBHOOK_SECRET_TOKEN;
    try {
      const event = verifyZoomWebhook(Buffer.concat(chunks), process.argv[2], process.argv[3], secret);
      if (event.event === 'endpoint.url_validation') console.log(JSON.stringify(urlValidationResponse(event, secret)));
      else console.log('verified', event.event);
    } catch (e) {
      if (!(e instanceof ZoomWebhookError)) throw e;
      console.error('refused:', e.message);
      process.exitCode = 1;
    }
  });
}
