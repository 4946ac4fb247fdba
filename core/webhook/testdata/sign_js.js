// Signs a webhook body the ways JavaScript verifiers do, with Node's own crypto and JSON: an
// independent implementation for core/webhook's tests. Input (argv[2]): {"secret", "ts", "body"}.
// Output: {"js_stringify": "v0=...", "js_pretty": "v0=..."}.
const crypto = require('crypto');
const spec = JSON.parse(process.argv[2]);
const sign = (msg) => 'v0=' + crypto.createHmac('sha256', spec.secret).update(msg).digest('hex');
const parsed = JSON.parse(spec.body);
process.stdout.write(JSON.stringify({
  js_stringify: sign(`v0:${spec.ts}:${JSON.stringify(parsed)}`),
  js_pretty: sign(`v0:${spec.ts}:${JSON.stringify(parsed, null, 2)}`),
  js_stringify_text: JSON.stringify(parsed),
}));
