// Runs harness-core.mjs in a real headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core): serves the folder given as argv[2] on 127.0.0.1, opens a page there (a secure
// context, so crypto.subtle exists), imports the module in the page and answers the batch on stdin.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const { chromium } = createRequire(path.join(process.env.ZOOMDBG_RUNTIMES, 'package.json'))('playwright-core');
const dir = process.argv[2];
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const input = Buffer.concat(chunks).toString('utf8');

const server = createServer(async (req, res) => {
  const name = path.basename(new URL(req.url, 'http://x').pathname) || 'index.html';
  try {
    const body = name === 'index.html' ? '<!doctype html><title>zoomdbg</title>' : await readFile(path.join(dir, name));
    res.writeHead(200, { 'content-type': name.endsWith('.mjs') ? 'text/javascript' : 'text/html' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await chromium.launch({
  executablePath: process.env.ZOOMDBG_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
  const out = await page.evaluate(async ([input, secret]) => {
    const { answer } = await import('/harness-core.mjs');
    return `${navigator.userAgent}\n${await answer(input, secret)}`;
  }, [input, process.env.ZOOM_CLIENT_SECRET]);
  const nl = out.indexOf('\n');
  process.stderr.write(`browser: ${out.slice(0, nl)}\n`);
  process.stdout.write(out.slice(nl + 1));
} finally {
  await browser.close();
  server.close();
}
