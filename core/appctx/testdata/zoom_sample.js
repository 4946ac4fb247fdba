// An independent implementation of Zoom's app-context algorithm for zoomdbg's cross-check test,
// following the logic of Zoom's published Node sample (unpack + createDecipheriv aes-256-gcm with
// key sha256(secret)). It reads JSON lines from stdin and writes one JSON line per request:
//   {"op":"open","secret":S,"token":T}          -> {"ok":true,"plaintext":P} | {"ok":false,"error":E}
//   {"op":"seal","secret":S,"plaintext":P,"aad":A} -> {"token":T}
const crypto = require('crypto');
const readline = require('readline');

// The sample's logic lives once, in fixtures/zoomsample.
const { decrypt } = require('../../../fixtures/zoomsample/zoom_sample.js');

function open(secret, token) {
  return decrypt(token, secret);
}

function seal(secret, plaintext, aad) {
  const key = crypto.createHash('sha256').update(secret).digest();
  const iv = crypto.randomBytes(12);
  const aadBuf = Buffer.from(aad || '', 'utf8');
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv).setAAD(aadBuf);
  const ct = Buffer.concat([cipher.update(Buffer.from(plaintext, 'utf8')), cipher.final()]);
  const aadLen = Buffer.alloc(2); aadLen.writeUInt16LE(aadBuf.length);
  const ctLen = Buffer.alloc(4); ctLen.writeUInt32LE(ct.length);
  const out = Buffer.concat([Buffer.from([iv.length]), iv, aadLen, aadBuf, ctLen, ct, cipher.getAuthTag()]);
  return out.toString('base64url');
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const req = JSON.parse(line);
  let res;
  try {
    res = req.op === 'seal'
      ? { token: seal(req.secret, req.plaintext, req.aad) }
      : { ok: true, plaintext: open(req.secret, req.token) };
  } catch (e) {
    res = { ok: false, error: String(e.message) };
  }
  process.stdout.write(JSON.stringify(res) + '\n');
});
