// panva's oidc-provider (OpenID Certified), run as zoomdbg's interop tests need it: an issuer
// with a path (http://127.0.0.1:PORT/oidc, as Keycloak, Auth0 tenants and Okta authorization
// servers have), PKCE required for every client and S256 only (the library supports no other
// method), a confidential client per client authentication method and a public one, refresh
// tokens only for a granted offline_access (the library's default), and its own development
// login and consent pages, which the Go test drives over HTTP like a browser.
//
// Usage: REDIRECT_URI=http://127.0.0.1:PORT/callback SECRET=... node oidc-server.mjs
// It prints one JSON line, {"issuer": "..."}, once it listens, and runs until killed.
import http from 'node:http';
import Provider from 'oidc-provider';

const redirect = process.env.REDIRECT_URI;
const secret = process.env.SECRET;
if (!redirect || !secret) {
  console.error('REDIRECT_URI and SECRET must be set');
  process.exit(2);
}

const client = (id, auth) => ({
  client_id: id,
  ...(auth === 'none' ? {} : { client_secret: secret }),
  token_endpoint_auth_method: auth,
  redirect_uris: [redirect],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
});

let handler = (req, res) => { res.statusCode = 503; res.end(); };
const server = http.createServer((req, res) => handler(req, res));
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}/oidc`;
  const provider = new Provider(issuer, {
    clients: [
      client('oidc-basic', 'client_secret_basic'),
      client('oidc-post', 'client_secret_post'),
      client('oidc-public', 'none'),
    ],
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', 'email'],
    claims: { openid: ['sub'], email: ['email'] },
    cookies: { keys: ['zoomdbg-interop-cookie-key-0123456789'] },
    async findAccount(ctx, id) {
      return { accountId: id, async claims() { return { sub: id, email: `${id}@example.com` }; } };
    },
  });
  const callback = provider.callback();
  // Mounted under /oidc as a reverse proxy or a framework mounts it: the provider reads the mount
  // path from originalUrl.
  handler = (req, res) => {
    if (!req.url.startsWith('/oidc/') && req.url !== '/oidc') {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    req.originalUrl = req.url;
    req.url = req.url.slice('/oidc'.length) || '/';
    callback(req, res);
  };
  process.stdout.write(JSON.stringify({ issuer }) + '\n');
});
