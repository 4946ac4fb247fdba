"""A reference backend for zoomdbg check's tests that is correct: it serves zoomdbg's own Python
snippet (written beside this file by the test) over HTTP, reading the context from a JSON POST
body's appContext field, as a frontend sends zoomSdk.getAppContext() to its API.
Usage: ZOOM_CLIENT_SECRET=... ZOOM_CLIENT_ID=... python3 correct_backend.py  (prints its port)
"""
import json
import os
from http.server import BaseHTTPRequestHandler, HTTPServer

from zoom_app_context import AppContextError, decrypt_app_context


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        try:
            body = json.loads(self.rfile.read(int(self.headers.get('Content-Length', '0'))) or b'{}')
            ctx = decrypt_app_context(body.get('appContext') or '', os.environ['ZOOM_CLIENT_SECRET'], os.environ.get('ZOOM_CLIENT_ID'))
            status, out = 200, {'uid': ctx.get('uid')}
        except (AppContextError, ValueError) as e:
            status, out = 403, {'error': str(e)}
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.end_headers()
        self.wfile.write(json.dumps(out).encode())

    def log_message(self, *args):
        pass


server = HTTPServer(('127.0.0.1', 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
