"""The Python peer: decrypts each line the way Zoom's sample logic does, with the `cryptography`
package's AESGCM under SHA-256(secret), then json.loads.

Usage: python3 zoom_python.py SECRET_FILE [log] < tokens.txt
With "log", each line is a web-server log line and the token is taken from its ?context= with a
regular expression, as a log-reading script would.
"""
import base64
import hashlib
import json
import re
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def main():
    with open(sys.argv[1]) as f:
        secret = f.read().rstrip("\n")
    aes = AESGCM(hashlib.sha256(secret.encode()).digest())  # derived once, like zoomdbg
    ok = fail = 0
    log = len(sys.argv) > 2 and sys.argv[2] == "log"
    pat = re.compile(rb"[?&]context=([A-Za-z0-9_-]+)")
    for line in sys.stdin.buffer:
        try:
            if log:
                m = pat.search(line)
                if not m:
                    continue
                s = m.group(1)
            else:
                s = line.strip()
            b = base64.urlsafe_b64decode(s + b"=" * (-len(s) % 4))
            iv_len = b[0]
            iv = b[1:1 + iv_len]
            o = 1 + iv_len
            aad_len = int.from_bytes(b[o:o + 2], "little")
            o += 2
            aad = b[o:o + aad_len]
            o += aad_len
            ct_len = int.from_bytes(b[o:o + 4], "little")
            o += 4
            sealed = b[o:]
            if len(sealed) != ct_len + 16:
                raise ValueError("layout")
            claims = json.loads(aes.decrypt(iv, sealed, aad or None))
            if not isinstance(claims, dict):
                raise ValueError("not an object")
            ok += 1
        except Exception:
            fail += 1
    print(f"ok={ok} fail={fail}")


main()
