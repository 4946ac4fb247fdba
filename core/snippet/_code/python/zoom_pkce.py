"""PKCE for Zoom OAuth: a code verifier and its S256 challenge (RFC 7636).

Needs: Python 3.8 or later, standard library only.
Run:   python3 zoom_pkce.py [VERIFIER]
Prints one JSON object; a VERIFIER that breaks RFC 7636 section 4.1 gets one line on stderr and exit 2.
"""
import base64
import hashlib
import json
import secrets
import sys

VERIFIER_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def check_verifier(verifier):
    """Raise ValueError unless verifier is 43-128 unreserved characters (RFC 7636 section 4.1)."""
    if not isinstance(verifier, str) or not 43 <= len(verifier) <= 128:
        n = len(verifier) if isinstance(verifier, str) else 0
        raise ValueError(f"verifier is {n} characters; RFC 7636 section 4.1 wants 43 to 128")
    for i, c in enumerate(verifier):
        if c not in VERIFIER_CHARS:
            raise ValueError(f"verifier: character U+{ord(c):04X} at offset {i} is not one of A-Z a-z 0-9 - . _ ~ "
                             "(RFC 7636 section 4.1)")


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def new_verifier():
    """43 characters from a CSPRNG: 32 random bytes, base64url without padding."""
    return b64url(secrets.token_bytes(32))


def s256_challenge(verifier):
    """RFC 7636 S256: BASE64URL-NOPAD(SHA-256(ASCII(verifier))). Send code_challenge_method=S256 with it."""
    check_verifier(verifier)
    return b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def zoom_legacy_challenge(verifier):
    """Only for a server that still expects Zoom's old documented variant: base64 of the lowercase hex digest."""
    check_verifier(verifier)
    return base64.b64encode(hashlib.sha256(verifier.encode("ascii")).hexdigest().encode()).decode()


if __name__ == "__main__":
    v = sys.argv[1] if len(sys.argv) > 1 else new_verifier()
    try:
        check_verifier(v)
    except ValueError as e:
        print(f"refused: {e}", file=sys.stderr)
        sys.exit(2)
    print(json.dumps({"code_verifier": v, "code_challenge": s256_challenge(v), "code_challenge_method": "S256",
                      "zoom_legacy_challenge": zoom_legacy_challenge(v)}, separators=(",", ":")))
