"""Decrypt and check a Zoom Apps app context (the x-zoom-app-context header, or
zoomSdk.getAppContext() sent by your front end).

Needs: Python 3.8 or later and the cryptography package (pip install cryptography, or Debian's
python3-cryptography).
Run:   ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] python3 zoom_app_context.py TOKEN

In Flask (Django: request.headers.get works the same; return a JsonResponse with the status):

    @app.get("/app")
    def app_home():
        try:
            ctx = decrypt_app_context(request.headers.get("X-Zoom-App-Context"),
                                      os.environ["ZOOM_CLIENT_SECRET"], os.environ.get("ZOOM_CLIENT_ID"))
        except AppContextError as e:
            return {"verdict": e.verdict, "reason": e.reason}, e.http_status
        return {"uid": ctx.get("uid")}
"""
import base64
import hashlib
import json
import math
import os
import sys
import time

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAX_TOKEN_LEN = 8192  # far above a real context (~500 bytes); checked first, so all else is linear
IV_SIZE = 12  # Zoom seals with a 12-byte IV
TAG_SIZE = 16  # AES-GCM's full 128-bit tag
MAX_DEPTH = 64  # JSON nesting accepted in the payload
SECONDS_BELOW = 1e11  # an exp or ts below this is epoch seconds, not milliseconds
NUMBERS_BELOW = 1e15
_B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_JSON_WS = " \t\r\n"


class AppContextError(Exception):
    """The one exception decrypt_app_context raises for a token it refuses.

    verdict is one of no_token, malformed, tag_mismatch, bad_payload, wrong_aud, expired; reason is
    the code zoomdbg uses for the same refusal; str(err) says why in words, never with the secret.
    """

    def __init__(self, verdict, reason, detail):
        super().__init__(f"{verdict}/{reason}: {detail}")
        self.verdict, self.reason = verdict, reason

    @property
    def http_status(self):
        """400 for a token that is not an app context at all, 401 for one not valid here and now."""
        return 400 if self.verdict == "malformed" else 401


def decrypt_app_context(header, client_secret, client_id=None, now_ms=None):
    """Return the payload of a Zoom app context as a dict, or raise AppContextError.

    header is the value as the framework hands it over: a str, or None when absent. client_id, when
    given, must equal the payload's aud. now_ms is the current time in epoch milliseconds. An empty
    client_secret is the server's fault, not the token's: it raises ValueError.
    """
    if not client_secret:
        raise ValueError("client secret is empty: set ZOOM_CLIENT_SECRET")
    data = _decode_token(header)
    iv, aad, sealed = _split_layout(data)
    # Zoom's key is SHA-256 of the secret, used as is: not HKDF, not PBKDF2.
    key = hashlib.sha256(client_secret.encode("utf-8")).digest()
    try:
        plaintext = AESGCM(key).decrypt(iv, sealed, aad)
    except InvalidTag:
        raise AppContextError("tag_mismatch", "tag", "tag mismatch: wrong client secret, or the token was altered") from None
    payload = _parse_payload(plaintext)
    _check_claims(payload, client_id, int(time.time() * 1000) if now_ms is None else now_ms)
    return payload


def _malformed(reason, detail):
    return AppContextError("malformed", reason, detail)


def _decode_token(h):
    if isinstance(h, (bytes, bytearray)):
        h = h.decode("latin-1")  # what WSGI does with header bytes
    if not h:
        raise AppContextError("no_token", "missing", "no app context: the header is absent or empty")
    if not isinstance(h, str):
        raise TypeError("header must be a str or None")
    if len(h) > MAX_TOKEN_LEN:
        raise _malformed("too_long", f"token is {len(h)} bytes, more than {MAX_TOKEN_LEN}")
    end = len(h)  # h[end:] is the trailing '=' padding, counted with a loop
    while end > 0 and h[end - 1] == "=":
        end -= 1
    std = bad = -1
    for i in range(end):
        c = h[i]
        if c in "+/":
            std = i if std < 0 else std
        elif c not in _B64URL and bad < 0:
            bad = i
    if std >= 0:
        raise _malformed("std_base64", f"{h[std]!r} at offset {std}: standard base64, Zoom sends base64url ('-' and '_')")
    if bad >= 0:
        raise _malformed("bad_char", f"character U+{ord(h[bad]):04X} at offset {bad} is not base64url")
    if len(h) - end > 2:
        raise _malformed("bad_padding", f"{len(h) - end} '=' at the end: at most 2")
    if end % 4 == 1:
        raise _malformed("bad_length", f"{end} characters is not a base64url length")
    # The alphabet is checked above: the standard decoder, which would also take '+' and '/', now
    # only sees base64url (non-zero unused bits in the last character are accepted, as everywhere).
    return base64.urlsafe_b64decode(h[:end] + "=" * (-end % 4))


def _split_layout(b):
    """ivLen u8 | iv | aadLen u16 LE | aad | cipherLen u32 LE | ciphertext | tag."""
    if not b:
        raise _malformed("truncated", "no bytes: the token ends before the IV length")
    if b[0] != IV_SIZE:
        raise _malformed("iv_length", f"IV length {b[0]}, Zoom uses {IV_SIZE}")
    off = 1 + IV_SIZE
    if len(b) < off + 2:
        raise _malformed("truncated", f"the token ends at byte {len(b)}, before the AAD length")
    iv = b[1:off]
    aad_len = int.from_bytes(b[off:off + 2], "little")
    off += 2
    if len(b) - off < aad_len + 4:
        raise _malformed("truncated", f"the token ends at byte {len(b)}, before the AAD and ciphertext length")
    aad = b[off:off + aad_len]
    off += aad_len
    cipher_len = int.from_bytes(b[off:off + 4], "little")
    off += 4
    rest = len(b) - off
    if rest < cipher_len:
        raise _malformed("truncated", f"ciphertext length {cipher_len}, only {rest} bytes remain")
    if rest < cipher_len + TAG_SIZE:
        raise _malformed("short_tag", f"tag is {rest - cipher_len} bytes, AES-GCM needs {TAG_SIZE}")
    if rest > cipher_len + TAG_SIZE:
        raise _malformed("trailing_bytes", f"{rest - cipher_len - TAG_SIZE} bytes after the tag")
    return iv, aad, b[off:]  # ciphertext then tag, as AESGCM.decrypt wants them


def _bad_payload(reason, detail):
    return AppContextError("bad_payload", reason, detail)


def _scan_json(text):
    """The deepest bracket nesting outside strings, and, when the text starts with '{', the index
    just past the bracket that closes it (else 0). Linear."""
    deepest = depth = end = 0
    in_string = escaped = False
    is_object = text.lstrip(_JSON_WS).startswith("{")
    for i, c in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "{[":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "}]":
            depth -= 1
            if depth == 0 and is_object and not end:
                end = i + 1
    return deepest, end


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")  # json.loads takes NaN and Infinity unless told


def _loads(text):
    # Integers too long for int() (4300 digits) become floats (inf), refused as exp_type, not not_json.
    return json.loads(text, parse_constant=_reject_constant, parse_int=lambda s: int(s) if len(s) < 300 else float(s))


def _parse_payload(p):
    try:
        text = p.decode("utf-8")  # strict: refuses invalid and surrogate bytes
    except UnicodeDecodeError:
        raise _bad_payload("not_utf8", "payload is not UTF-8") from None
    if text.startswith("\ufeff"):
        raise _bad_payload("bom", "payload starts with a UTF-8 byte order mark")
    deepest, end = _scan_json(text)
    if deepest > MAX_DEPTH:
        raise _bad_payload("too_deep", f"payload nests deeper than {MAX_DEPTH}")
    if end and text[end:].strip(_JSON_WS):
        try:
            _loads(text[:end])
        except ValueError:
            raise _bad_payload("not_json", "payload is not JSON") from None
        raise _bad_payload("trailing_data", "payload has data after its JSON object")
    try:
        payload = _loads(text)
    except ValueError:
        raise _bad_payload("not_json", "payload is not JSON") from None
    if not isinstance(payload, dict):
        raise _bad_payload("not_object", "payload is JSON but not an object")
    return payload


def _claim_time(name, v):
    """exp or ts: a finite JSON number of epoch milliseconds."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise _bad_payload(f"{name}_type", f"{name} is not a number")
    if not math.isfinite(v) or v <= 0 or v >= NUMBERS_BELOW:
        raise _bad_payload(f"{name}_type", f"{name} {v} is not epoch milliseconds")
    if v < SECONDS_BELOW:
        raise _bad_payload(f"{name}_seconds", f"{name} {v} is in seconds; Zoom sends milliseconds")
    return v


def _check_claims(payload, client_id, now_ms):
    if "exp" not in payload:
        raise _bad_payload("exp_missing", "payload has no exp")
    exp = _claim_time("exp", payload["exp"])
    if "ts" in payload:
        _claim_time("ts", payload["ts"])
    if client_id:
        aud = payload.get("aud")
        if not isinstance(aud, str) or aud != client_id:
            raise AppContextError("wrong_aud", "aud", "aud is not this app's client ID")
    if now_ms >= exp:
        raise AppContextError("expired", "expired", f"expired {int(now_ms - exp)} ms ago (a context lives about 2 minutes)")


if __name__ == "__main__":
    if len(sys.argv) != 2 or not os.environ.get("ZOOM_CLIENT_SECRET"):
        print("usage: ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] python3 zoom_app_context.py TOKEN", file=sys.stderr)
        sys.exit(2)
    try:
        ctx = decrypt_app_context(sys.argv[1], os.environ["ZOOM_CLIENT_SECRET"], os.environ.get("ZOOM_CLIENT_ID"))
    except AppContextError as e:
        print(f"refused: {e}", file=sys.stderr)
        sys.exit(1)
    print(json.dumps(ctx, separators=(",", ":")))
