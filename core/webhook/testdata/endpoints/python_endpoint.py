"""Zoom webhook endpoints written the ways Python developers write them, one per MODE, for
core/webhook's endpoint tests. Listens on 127.0.0.1, port 0, and prints the port.
  dumps:    hashes json.dumps(json.loads(body)), as many Flask and Django views do
  raw:      correct: the raw body, hmac.compare_digest, the handshake only after verifying
  slow:     correct, but takes 3.4 s to answer its first request (a cold start)
  failopen: reads the secret from a variable that is not set, and verifies with the empty key
"""
import hashlib, hmac, json, os, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE = os.environ["MODE"]
COLD = True
SECRET = os.environ.get("ZOOM_WEBHOOK_SECRET", "") if MODE == "failopen" else os.environ["ZOOM_WEBHOOK_SECRET_TOKEN"]


def sign(key, ts, body):
    return "v0=" + hmac.new(key.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, obj):
        out = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        global COLD
        if MODE == "slow" and COLD:
            COLD = False
            time.sleep(3.4)
        body = json.loads(raw)
        ts = self.headers.get("x-zm-request-timestamp", "")
        sig = self.headers.get("x-zm-signature", "")
        hashed = json.dumps(body).encode() if MODE == "dumps" else raw
        if MODE != "failopen" and not SECRET:
            return self.answer(500, {"error": "secret token not configured"})
        if not hmac.compare_digest(sign(SECRET, ts, hashed), sig):
            return self.answer(401, {"error": "invalid signature"})
        if body.get("event") == "endpoint.url_validation":
            token = body["payload"]["plainToken"]
            return self.answer(200, {"plainToken": token,
                                     "encryptedToken": hmac.new(SECRET.encode(), token.encode(), hashlib.sha256).hexdigest()})
        self.answer(200, {"ok": True})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
