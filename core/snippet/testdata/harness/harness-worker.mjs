// A Cloudflare Worker that answers harness-core.mjs's batch: the POST body holds the cases, the
// ZOOM_CLIENT_SECRET binding the secret, as a Worker reads its secrets from env.
import { answer } from './harness-core.mjs';

export default {
  async fetch(request, env) {
    return new Response(await answer(await request.text(), env.ZOOM_CLIENT_SECRET));
  },
};
