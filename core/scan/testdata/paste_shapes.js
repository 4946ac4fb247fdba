// Writes, as JSON, the shapes in which developers copy an app context, made the way the programs
// that show them make them: Node's console.log (util.inspect), JSON.stringify, WHATWG URL and
// URLSearchParams, Chrome's "Copy as cURL", a HAR export. Usage: node paste_shapes.js TOKEN OTHER
// where TOKEN is base64url as Zoom sends it and OTHER a second token.
const util = require("util");
const [tok, other] = process.argv.slice(2);
const std = Buffer.from(tok, "base64url").toString("base64"); // standard alphabet, padded

const u = new URL("https://app.example.com/home");
u.searchParams.set("context", std);
const redirect = new URL("https://app.example.com/login");
redirect.searchParams.set("redirect_to", "/home?context=" + encodeURIComponent(std));
const plusLost = new URLSearchParams("context=" + std).get("context"); // '+' read as ' '

const shapes = [
  { name: "console.log(getAppContext())", paste: util.inspect({ context: tok }), want: tok, repair: "taken from the field \"context\"" },
  { name: "JSON.stringify", paste: JSON.stringify({ context: tok }), want: tok, repair: "taken from the JSON field \"context\"" },
  { name: "JSON.stringify indented", paste: JSON.stringify({ context: tok, iat: 1 }, null, 2), want: tok, repair: "taken from the JSON field \"context\"" },
  { name: "address bar, base64url", paste: "https://app.example.com/home?context=" + tok + "&lang=en", want: tok, repair: "taken from the query parameter \"context\"" },
  { name: "URLSearchParams, standard base64", paste: u.href, want: std, repair: "percent-decoded" },
  { name: "token inside redirect_to", paste: redirect.href, want: std, repair: "percent-decoded" },
  { name: "'+' made spaces by a URL decoder", paste: plusLost, want: std, repair: "restored" },
  { name: "pino log line", paste: JSON.stringify({ level: 30, time: 1795167000000, req: { method: "GET", url: "/api", headers: { host: "app.example.com", "x-zoom-app-context": tok } }, msg: "request" }), want: tok, repair: "taken from the x-zoom-app-context header" },
  { name: "Chrome Copy as cURL", paste: "curl 'https://app.example.com/api/ctx' \\\n  -H 'accept: */*' \\\n  -H 'x-zoom-app-context: " + tok + "' \\\n  --compressed", want: tok, repair: "taken from the x-zoom-app-context header" },
  { name: "HAR entry", paste: JSON.stringify({ request: { method: "GET", url: "https://app.example.com/api", headers: [{ name: "accept", value: "*/*" }, { name: "x-zoom-app-context", value: tok }] } }, null, 2), want: tok, repair: "taken from the x-zoom-app-context header" },
  { name: "two tokens", paste: JSON.stringify([{ context: tok }, { context: other }]), want: tok, repair: "2 tokens in the paste, showing the first" },
  { name: "token in a sentence", paste: "the backend refused this one: " + tok + ".", want: tok, repair: "taken from the pasted text" },
  { name: "JWT", paste: "Authorization: Bearer " + Buffer.from('{"alg":"HS256","typ":"JWT"}').toString("base64url") + "." + Buffer.from('{"sub":"u1","exp":1795167000}').toString("base64url") + ".c2lnbmF0dXJl", code: "jwt" },
  { name: "prose", paste: "the context header was empty today, see the logs", code: "no_token" },
  { name: "undefined header", paste: "x-zoom-app-context: undefined", code: "no_token" },
];
process.stdout.write(JSON.stringify(shapes));
