// The Node.js app-context program's test harness (core/snippet's tests): one case a line on
// stdin, "hex header or -<TAB>client ID or -<TAB>now ms"; prints "verdict<TAB>reason<TAB>payload
// JSON or message", or "crash<TAB>what" when anything but AppContextError escapes.
'use strict';
const path = require('path');
const { decryptAppContext, AppContextError } = require(path.resolve(process.argv[2]));

const secret = process.env.ZOOM_CLIENT_SECRET;
const input = require('fs').readFileSync(0, 'utf8');
const out = [];
for (const line of input.split('\n')) {
  if (line === '') continue;
  const [h, cid, now] = line.split('\t');
  // Node's http parser hands header bytes over as latin1 characters; absent is undefined.
  const header = h === '-' ? undefined : Buffer.from(h, 'hex').toString('latin1');
  try {
    out.push('ok\t\t' + JSON.stringify(decryptAppContext(header, secret, cid === '-' ? undefined : cid, Number(now))));
  } catch (e) {
    out.push(e instanceof AppContextError ? `${e.verdict}\t${e.reason}\t${e.message}` : `crash\t${e && e.stack}`);
  }
}
process.stdout.write(out.map((l) => l.replace(/\n/g, ' ')).join('\n') + '\n');
