"""A Python WSGI app (the standard library's wsgiref server, where Flask or Django would run it)
that decrypts the context with cryptography's AESGCM. Bugs, as written in the wild: the context
is decoded with plain base64.b64decode, which drops base64url's '-' and '_', so Zoom's contexts do
not open; only a bad tag is caught, so every other bad input is a 500; and with APP_DEBUG=1 the 500
page is a traceback with each frame's local variables, the client secret among them.
Usage: ZOOM_CLIENT_SECRET=... APP_DEBUG=1 python3 python_debug.py  (prints its port)
"""
import base64
import hashlib
import json
import os
import sys
import time
import traceback
from wsgiref.simple_server import WSGIRequestHandler, make_server

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

DEBUG = os.environ.get('APP_DEBUG') == '1'


def decrypt_app_context(context, client_secret):
    raw = base64.b64decode(context + '=' * (-len(context) % 4))
    iv_length = raw[0]
    iv = raw[1:1 + iv_length]
    pos = 1 + iv_length
    aad_length = int.from_bytes(raw[pos:pos + 2], 'little')
    pos += 2
    aad = raw[pos:pos + aad_length]
    pos += aad_length
    cipher_length = int.from_bytes(raw[pos:pos + 4], 'little')
    pos += 4
    ciphertext, tag = raw[pos:pos + cipher_length], raw[pos + cipher_length:]
    key = hashlib.sha256(client_secret.encode()).digest()
    return json.loads(AESGCM(key).decrypt(iv, ciphertext + tag, aad or None))


def app(environ, start_response):
    try:
        ctx = decrypt_app_context(environ.get('HTTP_X_ZOOM_APP_CONTEXT'), os.environ['ZOOM_CLIENT_SECRET'])
        if ctx['exp'] < time.time() * 1000 or ctx.get('iss') != 'marketplace.zoom.us':
            raise InvalidTag()
        status, body, ctype = '200 OK', json.dumps({'uid': ctx['uid']}), 'application/json'
    except InvalidTag:
        status, body, ctype = '401 Unauthorized', json.dumps({'error': 'invalid context'}), 'application/json'
    except Exception:
        if not DEBUG:
            raise  # wsgiref answers 500
        status, ctype = '500 Internal Server Error', 'text/plain; charset=utf-8'
        body = ''.join(traceback.TracebackException(*sys.exc_info(), capture_locals=True).format())
    start_response(status, [('Content-Type', ctype)])
    return [body.encode()]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


server = make_server('127.0.0.1', 0, app, handler_class=QuietHandler)
print(server.server_port, flush=True)
server.serve_forever()
