"""Decrypt and check a Zoom Apps app context (x-zoom-app-context / zoomSdk.getAppContext()).

Run: ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] python3 zoom_app_context.py TOKEN
Needs: pip install cryptography
"""
import base64
import hashlib
import json
import os
import sys
import time

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

TAG_SIZE = 16  # AES-GCM's full 128-bit tag; a shorter one would make forgery feasible


class AppContextError(ValueError):
    """The token was refused; str(err) says why."""


def decrypt_app_context(token, client_secret, client_id=None, now_ms=None):
    """Return the payload of a Zoom app context as a dict, or raise AppContextError."""
    token = token.strip().rstrip("=")
    try:
        # Zoom sends base64url; b64decode with altchars also takes '+' and '/'.
        data = base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_", validate=True)
    except ValueError as e:
        raise AppContextError(f"not base64url: {e}") from None

    def take(off, n, what):
        if n > len(data) - off:
            raise AppContextError(f"{what} at byte {off}: needs {n} bytes, only {len(data) - off} remain")
        return data[off:off + n], off + n

    raw, off = take(0, 1, "iv length")
    iv, off = take(off, raw[0], "iv")
    raw, off = take(off, 2, "aad length")
    aad, off = take(off, int.from_bytes(raw, "little"), "aad")
    raw, off = take(off, 4, "ciphertext length")
    ciphertext, off = take(off, int.from_bytes(raw, "little"), "ciphertext")
    tag = data[off:]
    if len(tag) != TAG_SIZE:
        raise AppContextError(f"tag at byte {off}: expected exactly {TAG_SIZE} bytes, found {len(tag)}")
    if not iv:
        raise AppContextError("iv length is 0")

    # Zoom's key is SHA-256 of the secret, used as is: not HKDF, not PBKDF2.
    key = hashlib.sha256(client_secret.encode()).digest()
    try:
        plaintext = AESGCM(key).decrypt(iv, ciphertext + tag, aad or None)
    except InvalidTag:
        raise AppContextError("tag mismatch: wrong client secret, or the token was altered") from None

    try:
        payload = json.loads(plaintext)
    except ValueError:
        raise AppContextError("payload is not JSON") from None
    if not isinstance(payload, dict):
        raise AppContextError("payload is not a JSON object")
    exp = payload.get("exp")
    if not isinstance(exp, (int, float)) or isinstance(exp, bool):
        raise AppContextError("payload has no numeric exp")
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    if exp <= now_ms:  # ts and exp are epoch milliseconds, not seconds
        raise AppContextError(f"expired {(now_ms - exp) // 1000} s ago")
    if client_id and payload.get("aud") != client_id:
        raise AppContextError(f"aud {payload.get('aud')!r} is not this app's client ID")
    return payload


if __name__ == "__main__":
    if len(sys.argv) != 2 or not os.environ.get("ZOOM_CLIENT_SECRET"):
        sys.exit("usage: ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] python3 zoom_app_context.py TOKEN")
    try:
        ctx = decrypt_app_context(sys.argv[1], os.environ["ZOOM_CLIENT_SECRET"], os.environ.get("ZOOM_CLIENT_ID"))
    except AppContextError as e:
        print(f"refused: {e}", file=sys.stderr)
        sys.exit(1)
    print(json.dumps(ctx, separators=(",", ":")))
