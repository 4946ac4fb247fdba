// Zoom webhook endpoints written the ways Node developers write them, one per MODE, for
// core/webhook's endpoint tests. Listens on 127.0.0.1, port 0, and prints the port.
//   stringify: Zoom's webhook-sample as published: express.json() then JSON.stringify(req.body)
//   raw:       correct: the raw body, timingSafeEqual, the handshake only after verifying
//   base64:    correct, but answers the handshake in base64
//   noverify:  verifies nothing, answers the handshake
//   oracle:    answers the handshake before checking its signature, verifies events correctly
const crypto = require('crypto');
const http = require('http');
const mode = process.env.MODE;
const secret = process.env.ZOOM_WEBHOOK_SECRET_TOKEN;

function listen(server) {
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));
}

if (mode === 'stringify' || mode === 'noverify') {
  const express = require('express');
  const app = express();
  app.use(express.json());
  app.post('/webhook', (req, res) => {
    const message = `v0:${req.headers['x-zm-request-timestamp']}:${JSON.stringify(req.body)}`;
    const hashForVerify = crypto.createHmac('sha256', secret).update(message).digest('hex');
    const signature = `v0=${hashForVerify}`;
    if (mode === 'noverify' || req.headers['x-zm-signature'] === signature) {
      if (req.body.event === 'endpoint.url_validation') {
        const hashForValidate = crypto.createHmac('sha256', secret).update(req.body.payload.plainToken).digest('hex');
        res.status(200).json({ plainToken: req.body.payload.plainToken, encryptedToken: hashForValidate });
      } else {
        res.status(200).json({ message: 'Authorized request to Zoom Webhook sample.' });
      }
    } else {
      res.status(401).json({ message: 'Unauthorized request to Zoom Webhook sample.' });
    }
  });
  const server = app.listen(0, '127.0.0.1', () => console.log(server.address().port));
  return;
}

function verify(req, raw) {
  const ts = req.headers['x-zm-request-timestamp'];
  const sig = req.headers['x-zm-signature'];
  if (!secret || typeof ts !== 'string' || typeof sig !== 'string') return false;
  const want = Buffer.from('v0=' + crypto.createHmac('sha256', secret).update(`v0:${ts}:`).update(raw).digest('hex'));
  const got = Buffer.from(sig);
  return got.length === want.length && crypto.timingSafeEqual(got, want);
}

listen(http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const send = (status, obj) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(obj)); };
    let body;
    try { body = JSON.parse(raw.toString('utf8')); } catch (e) { return send(400, { error: 'bad json' }); }
    const handshake = () => {
      const mac = crypto.createHmac('sha256', secret).update(body.payload.plainToken).digest(mode === 'base64' ? 'base64' : 'hex');
      send(200, { plainToken: body.payload.plainToken, encryptedToken: mac });
    };
    if (mode === 'oracle' && body.event === 'endpoint.url_validation') return handshake();
    if (!verify(req, raw)) return send(401, { error: 'invalid signature' });
    if (body.event === 'endpoint.url_validation') return handshake();
    send(200, { ok: true });
  });
}));
