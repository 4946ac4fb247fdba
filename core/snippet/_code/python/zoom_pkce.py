"""PKCE for Zoom OAuth: a code verifier and its S256 challenge (RFC 7636).

Run: python3 zoom_pkce.py [VERIFIER]
"""
import base64
import hashlib
import json
import secrets
import sys


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def new_verifier():
    """43 characters from a CSPRNG, within RFC 7636 section 4.1's 43-128 unreserved characters."""
    return b64url(secrets.token_bytes(32))


def s256_challenge(verifier):
    """RFC 7636 S256: BASE64URL-NOPAD(SHA-256(ASCII(verifier))). Send code_challenge_method=S256 with it."""
    return b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def zoom_legacy_challenge(verifier):
    """Only for a server that still expects Zoom's old documented variant: base64 of the lowercase hex digest."""
    return base64.b64encode(hashlib.sha256(verifier.encode("ascii")).hexdigest().encode()).decode()


if __name__ == "__main__":
    v = sys.argv[1] if len(sys.argv) > 1 else new_verifier()
    print(json.dumps({"code_verifier": v, "code_challenge": s256_challenge(v), "code_challenge_method": "S256",
                      "zoom_legacy_challenge": zoom_legacy_challenge(v)}, separators=(",", ":")))
