// Try zoom-app-context.mjs from a terminal (save both files in one folder):
//   ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] node zoom-app-context-cli.mjs TOKEN        (Node.js 20+)
//   ZOOM_CLIENT_SECRET=... bun zoom-app-context-cli.mjs TOKEN                               (Bun 1)
//   ZOOM_CLIENT_SECRET=... deno run --allow-env=ZOOM_CLIENT_SECRET,ZOOM_CLIENT_ID zoom-app-context-cli.mjs TOKEN
// Prints the payload JSON and exits 0, or one line saying why it refused the token and exits 1.
import { decryptAppContext, AppContextError } from './zoom-app-context.mjs';

const deno = globalThis.Deno;
const args = deno ? deno.args : process.argv.slice(2);
const env = (name) => (deno ? deno.env.get(name) : process.env[name]);
const exit = (code) => (deno ? deno.exit(code) : process.exit(code));

if (args.length !== 1 || !env('ZOOM_CLIENT_SECRET')) {
  console.error('usage: ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] node zoom-app-context-cli.mjs TOKEN');
  exit(2);
}
try {
  console.log(JSON.stringify(await decryptAppContext(args[0], env('ZOOM_CLIENT_SECRET'), env('ZOOM_CLIENT_ID'))));
} catch (e) {
  if (!(e instanceof AppContextError)) throw e;
  console.error(`refused: ${e.message}`);
  exit(1);
}
