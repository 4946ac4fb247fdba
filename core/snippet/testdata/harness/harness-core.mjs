// The Web Crypto module's test harness, shared by every runtime core/snippet's tests run it in
// (Node.js, Deno, Bun from the command line; Chromium through a page; workerd through a Worker).
// input holds one case a line, "hex header or -<TAB>client ID or -<TAB>now ms"; the answer holds
// "verdict<TAB>reason<TAB>payload JSON or message", or "crash<TAB>what" when anything but
// AppContextError is thrown.
import { decryptAppContext, AppContextError } from './zoom-app-context.mjs';

export async function answer(input, secret) {
  const out = [];
  for (const line of input.split('\n')) {
    if (line === '') continue;
    const [h, cid, now] = line.split('\t');
    let header = null; // Headers.get answers null for an absent header
    if (h !== '-') {
      header = ''; // header bytes as latin1 characters, as fetch's Headers hold them
      for (let i = 0; i < h.length; i += 2) header += String.fromCharCode(parseInt(h.slice(i, i + 2), 16));
    }
    try {
      out.push('ok\t\t' + JSON.stringify(await decryptAppContext(header, secret, cid === '-' ? undefined : cid, Number(now))));
    } catch (e) {
      out.push(e instanceof AppContextError ? `${e.verdict}\t${e.reason}\t${e.message}` : `crash\t${e && e.stack}`);
    }
  }
  return out.map((l) => l.split('\n').join(' ')).join('\n') + '\n';
}
