"""Signs a Zoom webhook delivery with Python's hmac, the right way and each wrong way developers
use, and writes each one in every shape zoomdbg reads (raw HTTP with CRLF or LF, chunked, curl -v
output under its command, "Copy as cURL" with shlex quoting, a HAR file, a JSON log line, the body
alone). An independent implementation for core/webhook's tests.

Input (argv[1]): {"secret", "prod", "ts", "body", "extra": {name: signature}}.
Output: {name: {"signature": s, "shapes": {shape: capture}}}.
"""
import base64, hashlib, hmac, json, shlex, sys

spec = json.loads(sys.argv[1])
secret, prod, ts, body = spec["secret"].encode(), spec["prod"].encode(), spec["ts"], spec["body"]
raw = body.encode()
parsed = json.loads(body)
event_ts = str(parsed["event_ts"])


def mac(key, msg):
    return hmac.new(key, msg, hashlib.sha256)


def v0(key, ts, b):
    return "v0=" + mac(key, b"v0:" + ts.encode() + b":" + b).hexdigest()


sigs = {
    "correct": v0(secret, ts, raw),
    "prod": v0(prod, ts, raw),
    "py_dumps": v0(secret, ts, json.dumps(parsed).encode()),
    "py_dumps_nonascii": v0(secret, ts, json.dumps(parsed, ensure_ascii=False).encode()),
    "py_compact": v0(secret, ts, json.dumps(parsed, separators=(",", ":")).encode()),
    "py_sorted": v0(secret, ts, json.dumps(parsed, sort_keys=True).encode()),
    "py_indent2": v0(secret, ts, json.dumps(parsed, indent=2).encode()),
    "py_str": v0(secret, ts, str(parsed).encode()),
    "event_ts_ms": v0(secret, event_ts, raw),
    "event_ts_s": v0(secret, str(int(event_ts) // 1000), raw),
    "no_v0_colon": "v0=" + mac(secret, ts.encode() + b":" + raw).hexdigest(),
    "no_v0_eq": mac(secret, b"v0:" + ts.encode() + b":" + raw).hexdigest(),
    "upper": "v0=" + mac(secret, b"v0:" + ts.encode() + b":" + raw).hexdigest().upper(),
    "base64": "v0=" + base64.b64encode(mac(secret, b"v0:" + ts.encode() + b":" + raw).digest()).decode(),
    "secret_nl": v0(secret + b"\n", ts, raw),
    "empty_secret": v0(b"", ts, raw),
}
sigs.update(spec.get("extra", {}))


def http(sig, nl="\r\n", chunked=False, headers=True):
    hs = ["POST /webhooks/zoom HTTP/1.1", "Host: 127.0.0.1:4000", "User-Agent: Zoom Marketplace/1.0a",
          "Content-Type: application/json; charset=utf-8"]
    if headers:
        hs += ["x-zm-request-timestamp: " + ts, "x-zm-signature: " + sig]
    if chunked:
        hs.append("Transfer-Encoding: chunked")
        half = len(raw) // 2
        parts = [raw[:half], raw[half:]]
        b = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"
    else:
        hs.append("Content-Length: %d" % len(raw))
        b = raw
    return (nl.join(hs) + nl + nl).encode() + b


def curl(sig, flag="--data-raw"):
    return ("curl 'https://example.ngrok.app/webhooks/zoom' \\\n  -H 'content-type: application/json' \\\n"
            "  -H " + shlex.quote("x-zm-request-timestamp: " + ts) + " \\\n  -H " + shlex.quote("x-zm-signature: " + sig) +
            " \\\n  " + flag + " " + shlex.quote(body) + "\n").encode()


def curl_verbose(sig):
    out = curl(sig, "-d").decode().replace("curl ", "curl -v ", 1)
    out += ("*   Trying 127.0.0.1:4000...\n* Connected to 127.0.0.1 (127.0.0.1) port 4000\n"
            "> POST /webhooks/zoom HTTP/1.1\n> Host: 127.0.0.1:4000\n> User-Agent: curl/8.5.0\n> Accept: */*\n"
            "> content-type: application/json\n> x-zm-request-timestamp: %s\n> x-zm-signature: %s\n"
            "> Content-Length: %d\n> \n< HTTP/1.1 401 Unauthorized\n< Content-Length: 0\n< \n"
            "* Connection #0 to host 127.0.0.1 left intact\n") % (ts, sig, len(raw))
    return out.encode()


def har(sig):
    entry = {"request": {"method": "POST", "url": "https://example.ngrok.app/webhooks/zoom", "httpVersion": "HTTP/1.1",
                         "headers": [{"name": "content-type", "value": "application/json"},
                                     {"name": "x-zm-request-timestamp", "value": ts},
                                     {"name": "x-zm-signature", "value": sig}],
                         "postData": {"mimeType": "application/json", "text": body}},
             "response": {"status": 401}}
    get = {"request": {"method": "GET", "url": "https://example.ngrok.app/", "headers": []}, "response": {"status": 200}}
    return json.dumps({"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
                               "entries": [get, entry]}}, indent=2).encode()


def log_line(sig):
    return (json.dumps({"level": 30, "time": 1764500000456, "msg": "zoom webhook",
                        "req": {"method": "POST", "url": "/webhooks/zoom",
                                "headers": {"x-zm-request-timestamp": ts, "x-zm-signature": sig, "content-type": "application/json"},
                                "rawBody": body}}) + "\n").encode()


out = {}
for name, sig in sigs.items():
    shapes = {
        "http_crlf": http(sig), "http_lf": http(sig, "\n"), "http_chunked": http(sig, chunked=True),
        "curl_data_raw": curl(sig), "curl_data_binary": curl(sig, "--data-binary"), "curl_d": curl(sig, "-d"),
        "curl_verbose": curl_verbose(sig), "har": har(sig), "log_line": log_line(sig),
    }
    out[name] = {"signature": sig, "shapes": {k: base64.b64encode(v).decode() for k, v in shapes.items()}}
out["no_headers"] = {"signature": "", "shapes": {"http_crlf": base64.b64encode(http("", headers=False)).decode()}}
json.dump(out, sys.stdout)
