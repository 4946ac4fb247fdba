// Try zoom-pkce.mjs from a terminal (save both files in one folder):
//   node zoom-pkce-cli.mjs [VERIFIER]   (Node.js 20+; bun and `deno run` take it the same way, no permissions)
// Prints one JSON object; a VERIFIER that breaks RFC 7636 section 4.1 gets one line on stderr and exit 2.
import { checkVerifier, newVerifier, s256Challenge, zoomLegacyChallenge } from './zoom-pkce.mjs';

const deno = globalThis.Deno;
const args = deno ? deno.args : process.argv.slice(2);
const v = args.length > 0 ? args[0] : newVerifier();
try {
  checkVerifier(v);
} catch (e) {
  console.error(`refused: ${e.message}`);
  deno ? deno.exit(2) : process.exit(2);
}
console.log(JSON.stringify({ code_verifier: v, code_challenge: await s256Challenge(v), code_challenge_method: 'S256',
  zoom_legacy_challenge: await zoomLegacyChallenge(v) }));
