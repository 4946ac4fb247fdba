// Runs harness-core.mjs over stdin in Node.js, Bun or Deno (deno run --allow-env=ZOOM_CLIENT_SECRET).
import { answer } from './harness-core.mjs';

const deno = globalThis.Deno;
let input;
if (deno) {
  input = await new Response(deno.stdin.readable).text();
} else {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  input = Buffer.concat(chunks).toString('utf8');
}
const secret = deno ? deno.env.get('ZOOM_CLIENT_SECRET') : process.env.ZOOM_CLIENT_SECRET;
const text = await answer(input, secret);
if (deno) await deno.stdout.write(new TextEncoder().encode(text));
else process.stdout.write(text);
