// The Node peer: decrypts each line the way Zoom's published Node sample does (unpack, then
// crypto.createDecipheriv('aes-256-gcm', sha256(secret), iv), setAAD, setAuthTag, JSON.parse).
// Usage: node zoom_node.js SECRET_FILE [log] < tokens.txt
// With "log", each line is a web-server log line and the token is taken from its ?context= with a
// regular expression, as a log-reading script would.
const crypto = require('crypto');
const fs = require('fs');
const readline = require('readline');

const secret = fs.readFileSync(process.argv[2], 'utf8').replace(/\n$/, '');
const key = crypto.createHash('sha256').update(secret).digest(); // derived once, like zoomdbg

// The sample's logic lives once, in fixtures/zoomsample; the key is derived once, like zoomdbg's.
const { decrypt } = require('../../fixtures/zoomsample/zoom_sample.js');

let ok = 0, fail = 0;
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
const log = process.argv[3] === 'log';
const pat = /[?&]context=([A-Za-z0-9_-]+)/;
rl.on('line', (line) => {
  if (log) {
    const m = pat.exec(line);
    if (!m) return;
    line = m[1];
  }
  try {
    const claims = JSON.parse(decrypt(line, null, key));
    if (typeof claims !== 'object' || claims === null) throw new Error('not an object');
    ok++;
  } catch (e) {
    fail++;
  }
});
rl.on('close', () => console.log(`ok=${ok} fail=${fail}`));
