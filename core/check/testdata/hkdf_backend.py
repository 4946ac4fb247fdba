"""A reference backend for zoomdbg check's tests with the seed thread's bug: the key derived with
HKDF-SHA256 (info b"handshake data") instead of SHA-256(secret). Zoom's contexts never open.
Usage: ZOOM_CLIENT_SECRET=... python3 hkdf_backend.py  (prints the port it listens on)
"""
import base64
import json
import os
from http.server import BaseHTTPRequestHandler, HTTPServer

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def decode_base64url(input_str):
    input_str = input_str.replace('-', '+').replace('_', '/')
    padding = len(input_str) % 4
    if padding > 0:
        input_str += '=' * (4 - padding)
    return base64.b64decode(input_str)


def decrypt_zoom_app_context(context, client_secret):
    context_bytes = decode_base64url(context)
    iv_length = context_bytes[0]
    iv = context_bytes[1:1 + iv_length]
    aad_length = int.from_bytes(context_bytes[1 + iv_length:3 + iv_length], byteorder='little')
    aad = context_bytes[3 + iv_length:3 + iv_length + aad_length]
    cipher_length = int.from_bytes(context_bytes[3 + iv_length + aad_length:7 + iv_length + aad_length], byteorder='little')
    cipher_text = context_bytes[7 + iv_length + aad_length:7 + iv_length + aad_length + cipher_length]
    tag = context_bytes[7 + iv_length + aad_length + cipher_length:]
    derive = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b'handshake data')
    key = derive.derive(client_secret.encode())
    decryptor = Cipher(algorithms.AES(key), modes.GCM(iv, tag)).decryptor()
    if aad:
        decryptor.authenticate_additional_data(aad)
    decrypted = decryptor.update(cipher_text) + decryptor.finalize()
    return json.loads(decrypted.decode('utf-8'))


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        try:
            ctx = decrypt_zoom_app_context(self.headers.get('x-zoom-app-context', ''), os.environ['ZOOM_CLIENT_SECRET'])
            status, body = 200, json.dumps({'uid': ctx.get('uid')})
        except Exception as e:  # the seed thread's InvalidTag, among others
            status, body = 401, json.dumps({'error': type(e).__name__})
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


server = HTTPServer(('127.0.0.1', 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
