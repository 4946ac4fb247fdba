// Writes each body of argv[2] (a JSON list of strings) back out as JSON.stringify does, as base64.
const bodies = JSON.parse(process.argv[2]);
const enc = (s) => Buffer.from(s, 'utf8').toString('base64');
process.stdout.write(JSON.stringify(bodies.map((b) => {
  const v = JSON.parse(b);
  return { js: enc(JSON.stringify(v)), js_pretty: enc(JSON.stringify(v, null, 2)) };
})));
