"""Writes a corpus of realistic Zoom Apps backend logs with exact ground truth, for zoomdbg scan's
corpus test. Tokens are sealed here, with Python's `cryptography`, independently of zoomdbg: the
layout (ivLen u8 | iv | aadLen u16 LE | aad | cipherLen u32 LE | ciphertext | tag) and the key
SHA-256(secret) are written from Zoom's description, not from zoomdbg's code.

usage: python3 gen.py OUTDIR DEV_SECRET OTHER_SECRET
writes OUTDIR/<format>.log ... and OUTDIR/truth.json: [{"file", "line", "status"}], one entry per
token zoomdbg must report, and nothing for the decoys, which it must not.
"""
import base64
import bz2
import gzip
import hashlib
import json
import os
import random
import struct
import sys
import urllib.parse
from datetime import datetime, timedelta, timezone

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

OUT, DEV, OTHER = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
rnd = random.Random(20261123)
T0 = datetime(2026, 3, 5, 10, 0, 0, tzinfo=timezone.utc)
truth = []


def seal(secret, plaintext):
    iv = rnd.randbytes(12)
    sealed = AESGCM(hashlib.sha256(secret).digest()).encrypt(iv, plaintext, None)
    ct, tag = sealed[:-16], sealed[-16:]
    return bytes([12]) + iv + struct.pack("<H", 0) + struct.pack("<I", len(ct)) + ct + tag


def uid():
    return "".join(rnd.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") for _ in range(22))


def payload(at, kind):
    ts = at - timedelta(seconds=600 if kind == "expired" else 20)
    ms = int(ts.timestamp() * 1000)
    return json.dumps({"typ": rnd.choice(["panel", "meeting"]), "uid": uid(), "mid": base64.b64encode(rnd.randbytes(16)).decode(),
                       "ts": ms, "exp": ms + 120000, "iss": "marketplace.zoom.us", "aud": "corpusClientId00000001",
                       "attendrole": "host", "theme": "dark"}, separators=(",", ":")).encode()


def token(at, kind, enc="url"):
    """A token of the given kind, encoded; enc: url, std, std+ (standard base64 holding '+')."""
    while True:
        if kind == "nonjson":
            b = seal(DEV, b"<html>not json</html>")
        else:
            b = seal(OTHER if kind == "foreign" else DEV, payload(at, kind))
        if kind == "truncated":
            b = b[:len(b) - 40]
        if enc == "url":
            return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
        s = base64.b64encode(b).decode()
        if enc == "std" or ("+" in s and "/" in s):
            if "+" in s or "/" in s:
                STD.add(s.rstrip("="))
            return s


# Tokens written in the standard alphabet: as a backend receives them they are malformed
# (std_base64), whatever they hold (README "The verdict on a context"); zoomdbg says they open once
# converted back.
STD = set()


def std_on(line):
    for _ in range(2):
        line = urllib.parse.unquote(line)
    line = line.replace("\\\\", "\\").replace("\\/", "/").replace("\\u002B", "+").replace(" ", "+")
    return any(t[:60] in line for t in STD)


STATUS = {"ok": "ok", "expired": "expired", "foreign": "tag_mismatch", "nonjson": "bad_payload", "truncated": "malformed"}


class Log:
    """One log file: lines, each with the tokens zoomdbg must find on it."""

    def __init__(self, name, newline="\n"):
        self.name, self.newline, self.lines, self.n = name, newline, [], 0

    def add(self, text, found=(), timed=True):
        """text is one or more lines; found lists (line offset within text, kind) of the tokens."""
        lines = text.split("\n")
        for off, kind in found:
            status = STATUS[kind]
            if kind == "expired" and not timed:
                status = "ok"  # the line has no time: zoomdbg must not judge expiry
            if std_on(lines[off]):
                status = "malformed"
            truth.append({"file": self.name, "line": self.n + 1 + off, "status": status})
        parts = text.split("\n")
        self.lines.extend(parts)
        self.n += len(parts)

    def data(self):
        return (self.newline.join(self.lines) + self.newline).encode()


KINDS = ["ok", "ok", "expired", "foreign", "nonjson", "ok", "truncated"]


def each(n, fn):
    for i in range(n):
        at = T0 + timedelta(seconds=7 * i)
        fn(at, KINDS[i % len(KINDS)], i)


def clf(at):
    return at.strftime("%d/%b/%Y:%H:%M:%S +0000")


def iso(at, frac=3):
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond:06d}"[:frac] + "Z"


logs = []


def new(name, newline="\n"):
    log = Log(name, newline)
    logs.append(log)
    return log


UA = "Mozilla/5.0 ZoomWebKit/537.36 (KHTML, like Gecko) ZoomApps/1.0"

# nginx combined, tokens in ?context= as Zoom's base64url, and as standard base64 percent-encoded
# in upper and lower case; a custom log_format with the header as app_context="...".
log = new("nginx_access.log")
def nginx(at, kind, i):
    enc = ["url", "std", "std"][i % 3]
    t = token(at, kind, enc)
    q = urllib.parse.quote(t, safe="")
    if i % 3 == 2:
        q = q.replace("%2B", "%2b").replace("%2F", "%2f").replace("%3D", "%3d")
    log.add(f'10.0.0.{i} - - [{clf(at)}] "GET /zoom/home?context={q}&theme=dark HTTP/1.1" 200 612 "-" "{UA}"', [(0, kind)])
    log.add(f'10.0.0.{i} - - [{clf(at)}] "GET /static/app.js HTTP/1.1" 200 1024 "-" "{UA}"')
    t2 = token(at, kind)
    log.add(f'{clf(at)} 10.0.0.{i} "GET /api/me HTTP/2.0" 200 app_context="{t2}" rt=0.003', [(0, kind)])
each(14, nginx)
log.add(f'10.0.0.9 - - [{clf(T0)}] "GET /zoom/home HTTP/1.1" 200 612 "-" "{UA}" app_context="-"')

# Apache combined with %{X-Zoom-App-Context}i last: a bare quoted token (only whole ones are bare).
log = new("apache_access.log")
def apache(at, kind, i):
    if kind == "truncated":
        kind = "ok"
    log.add(f'192.168.1.{i} - - [{clf(at)}] "GET /home HTTP/1.1" 200 2326 "-" "{UA}" "{token(at, kind)}"', [(0, kind)])
each(10, apache)

# IIS W3C extended: the query column and the header column.
log = new("iis_u_ex260305.log")
log.add("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs(User-Agent) cs(X-Zoom-App-Context) sc-status")
def iis(at, kind, i):
    t = token(at, kind)
    other = "ok" if kind == "truncated" else kind
    log.add(f"{at:%Y-%m-%d %H:%M:%S} 10.1.1.1 GET /home context={t} 443 {UA.replace(' ', '+')} {token(at, other)} 200",
            [(0, kind), (0, other)])
each(8, iis)

# morgan: 'combined' has a time; 'dev' has none.
log = new("morgan.log")
def morgan(at, kind, i):
    t = token(at, kind)
    if i % 2:
        log.add(f'::ffff:127.0.0.1 - - [{clf(at)}] "GET /?context={t} HTTP/1.1" 200 512 "-" "{UA}"', [(0, kind)])
    else:
        log.add(f"GET /?context={t} 200 3.{i} ms - 512", [(0, kind)], timed=False)
each(10, morgan)

# pino: JSON lines, epoch milliseconds in "time", the header nested in req.headers.
log = new("pino.log")
def pino(at, kind, i):
    t = token(at, kind)
    ms = int(at.timestamp() * 1000)
    log.add(json.dumps({"level": 30, "time": ms, "pid": 41, "hostname": "api-7d9", "req": {"id": i, "method": "GET", "url": "/api/ctx",
            "headers": {"host": "app.example.com", "x-zoom-app-context": t, "user-agent": UA}}, "msg": "request received"},
            separators=(",", ":")), [(0, kind)])
    log.add(json.dumps({"level": 20, "time": ms, "context": "RoutesResolver", "msg": "Mapped {/api, GET} route"}, separators=(",", ":")))
each(10, pino)

# winston: JSON with "timestamp" last and the context as appContext.
log = new("winston.log")
def winston(at, kind, i):
    log.add(json.dumps({"level": "warn", "message": "app context rejected", "appContext": token(at, kind), "timestamp": iso(at)}), [(0, kind)])
    log.add(json.dumps({"level": "info", "message": "span", "traceContext": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "timestamp": iso(at)}))
each(10, winston)

# structlog: the console renderer's key=value and the JSON renderer.
log = new("structlog.log")
def structlog(at, kind, i):
    t = token(at, kind)
    if i % 2:
        log.add(f"{iso(at, 6)} [info     ] zoom context received       app_context={t} user_id={i}", [(0, kind)])
    else:
        log.add(json.dumps({"event": "zoom context received", "app_context": t, "level": "info", "timestamp": iso(at, 6)}), [(0, kind)])
each(10, structlog)

# Django: runserver lines, Python logging's default format with request.META as a dict repr.
log = new("django.log")
def django(at, kind, i):
    t = token(at, kind)
    log.add(f'[{at:%d/%b/%Y %H:%M:%S}] "GET /zoom/ HTTP/1.1" 200 5120')
    log.add(f"{at:%Y-%m-%d %H:%M:%S},{i:03d} ERROR django.request Decrypt failed: {{'HTTP_HOST': 'app', 'HTTP_X_ZOOM_APP_CONTEXT': '{t}', 'HTTP_USER_AGENT': '{UA}'}}", [(0, kind)])
    log.add(f"{at:%Y-%m-%d %H:%M:%S},{i:03d} DEBUG app.views context=None user=None")
each(10, django)

# Flask / Werkzeug, and the query decoded by the framework: '+' turned into spaces.
log = new("flask.log")
def flask(at, kind, i):
    if kind == "truncated":
        kind = "foreign"
    t = token(at, kind, "std+")
    log.add(f'127.0.0.1 - - [{at:%d/%b/%Y %H:%M:%S}] "GET /home?context={urllib.parse.quote(t, safe="")} HTTP/1.1" 200 -', [(0, kind)])
    log.add(f"[{at:%Y-%m-%d %H:%M:%S},{i:03d}] INFO in views: request.args['context'] = {t.replace('+', ' ')}", [(0, kind)])
each(8, flask)

# Rails: the request line has a time, the Parameters line (a Ruby hash, '+' decoded to spaces) has none.
log = new("rails.log")
def rails(at, kind, i):
    t = token(at, kind, "std+") if kind != "truncated" else token(at, kind)
    log.add(f'Started GET "/home?context={urllib.parse.quote(t, safe="")}" for 127.0.0.1 at {at:%Y-%m-%d %H:%M:%S} +0000', [(0, kind)])
    log.add("Processing by HomeController#show as HTML")
    log.add(f'  Parameters: {{"context"=>"{t.replace("+", " ")}", "theme"=>"dark"}}', [(0, kind)], timed=False)
    log.add(f"Completed 200 OK in {i}ms (Views: 1.2ms | ActiveRecord: 0.0ms)")
each(10, rails)

# Spring Boot (logback) with a header map, and a Java toString of headers.
log = new("spring.log")
def spring(at, kind, i):
    t = token(at, kind)
    log.add(f"{iso(at)}  WARN 4242 --- [nio-8080-exec-{i}] c.e.zoom.ContextFilter : rejected appContext={t}", [(0, kind)])
    log.add(f"{at:%Y-%m-%d %H:%M:%S}.{i:03d} DEBUG 4242 --- [nio-8080-exec-{i}] o.s.w.f.CommonsRequestLoggingFilter : headers=[host:\"app\", x-zoom-app-context:\"{token(at, kind)}\"]", [(0, kind)])
each(8, spring)

# Serilog: compact JSON (CLEF) and the console template, which has no date.
log = new("serilog.log")
def serilog(at, kind, i):
    # System.Text.Json escapes '+' as \u002B by default: a standard-base64 token comes out so.
    t = token(at, kind, "std+") if kind != "truncated" else token(at, kind)
    clef = json.dumps({"@t": iso(at, 6)[:-1] + "0Z", "@mt": "Rejected context {AppContext}", "AppContext": t})
    log.add(clef.replace("+", "\\u002B"), [(0, kind)])
    log.add(f"[{at:%H:%M:%S} WRN] Rejected context x-zoom-app-context: {token(at, kind)}", [(0, kind)], timed=False)
each(8, serilog)

# Go: slog's text and JSON handlers, and an http.Header printed with %v.
log = new("go_slog.log")
def goslog(at, kind, i):
    log.add(f"time={iso(at)} level=WARN msg=\"context refused\" x-zoom-app-context={token(at, kind)} err=\"cipher: message authentication failed\"", [(0, kind)])
    log.add(json.dumps({"time": iso(at), "level": "INFO", "msg": "req", "context": token(at, kind)}), [(0, kind)])
    log.add(f"{at:%Y/%m/%d %H:%M:%S} headers: map[Accept:[text/html] X-Zoom-App-Context:[{token(at, kind)}]]", [(0, kind)])
each(8, goslog)

# syslog (RFC 3164): no year.
log = new("syslog")
def syslog(at, kind, i):
    log.add(f"{at:%b} {at.day:2d} {at:%H:%M:%S} app-host zoomapp[{100 + i}]: x-zoom-app-context: {token(at, kind)}", [(0, kind)])
    log.add(f"{at:%b} {at.day:2d} {at:%H:%M:%S} app-host CRON[99]: (root) CMD (run-parts /etc/cron.hourly)")
each(8, syslog)

# curl -v: request headers after '>', no time.
log = new("curl_trace.txt")
def curl(at, kind, i):
    log.add(f"*   Trying 127.0.0.1:3000...\n> GET /home HTTP/1.1\n> Host: localhost:3000\n> User-Agent: curl/8.5.0\n> X-Zoom-App-Context: {token(at, kind)}\n>\n< HTTP/1.1 401 Unauthorized",
            [(4, kind)], timed=False)
each(6, curl)

# PHP: error_log with its time, print_r of $_SERVER (no time), and json_encode's escaped slashes.
log = new("php_error.log")
def php(at, kind, i):
    if kind == "truncated":
        kind = "ok"
    t = token(at, kind, "std")
    log.add(f"[{at:%d-%b-%Y %H:%M:%S} UTC] PHP Notice:  {json.dumps({'context': t}).replace('/', chr(92) + '/')}", [(0, kind)])
    log.add(f"Array\n(\n    [HTTP_HOST] => app.example.com\n    [HTTP_X_ZOOM_APP_CONTEXT] => {token(at, kind)}\n)", [(3, kind)], timed=False)
each(8, php)

# Docker's json-file driver: the app's own JSON escaped inside "log".
log = new("docker-json.log")
def docker(at, kind, i):
    inner = json.dumps({"level": "info", "appContext": token(at, kind), "msg": "ctx"}) + "\n"
    log.add(json.dumps({"log": inner, "stream": "stdout", "time": iso(at, 6)}), [(0, kind)])
each(10, docker)

# logfmt and a Python dict repr.
log = new("logfmt.log")
def logfmt(at, kind, i):
    log.add(f'ts={iso(at)} level=error caller=zoom.go:42 msg="bad context" context="{token(at, kind)}"', [(0, kind)])
    log.add(f"{at:%Y-%m-%d %H:%M:%S} WARNING {{'context': '{token(at, kind)}', 'uid': None}}", [(0, kind)])
each(8, logfmt)

# A login redirect carrying the home URL, token and all, percent-encoded once more.
log = new("redirects.log")
def redirect(at, kind, i):
    t = token(at, kind)
    target = "https://app.example.com/home?context=" + t
    log.add(f'10.2.0.{i} - - [{clf(at)}] "GET /login?redirect_to={urllib.parse.quote(target, safe="")} HTTP/1.1" 302 0', [(0, kind)])
each(8, redirect)

# A browser's HAR export: name and value on separate lines, the token in the URL, :path, the
# query string and the header: four occurrences of one token per request. No time on those lines.
har = {"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"}, "entries": []}}
har_tokens = []
def harentry(at, kind, i):
    if kind == "truncated":
        kind = "ok"
    t = token(at, kind)
    har_tokens.append((t, kind))
    har["log"]["entries"].append({"startedDateTime": iso(at), "request": {"method": "GET",
        "url": f"https://app.example.com/home?context={t}", "httpVersion": "http/2.0",
        "headers": [{"name": ":path", "value": f"/home?context={t}"}, {"name": "x-zoom-app-context", "value": t},
                    {"name": "user-agent", "value": UA}],
        "queryString": [{"name": "context", "value": t}]}})
each(4, harentry)
log = new("export.har")
lines = json.dumps(har, indent=2).split("\n")
found = [(n, kind) for n, l in enumerate(lines) for t, kind in har_tokens if t in l]
log.add("\n".join(lines), found, timed=False)

# Decoys: nothing here may be reported.
log = new("decoys.log")
jwt = "eyJhbGciOiJIUzUxMiIsInYiOiIyLjAiLCJraWQiOiJkZW1vIn0.eyJhdWQiOiJodHRwczovL29hdXRoLnpvb20udXMiLCJ1aWQiOiJNUGpxNlVtaFFXV0JQNFl1Zi1GQVJnIn0.bm90IGEgcmVhbCBzaWduYXR1cmUgYnV0IGxvbmcgZW5vdWdoIHRvIGxvb2sgbGlrZSBvbmU"
verifier = base64.urlsafe_b64encode(rnd.randbytes(32)).rstrip(b"=").decode()
challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
for i, line in enumerate([
    f"{iso(T0)} INFO Authorization: Bearer {jwt}",
    f"{iso(T0)} INFO context={jwt}",
    f"{iso(T0)} DEBUG pkce code_verifier={verifier} code_challenge={challenge}&code_challenge_method=S256",
    f"{iso(T0)} DEBUG oauth callback code=obBEe8ewaL_KdyNjniT4KPd8ffDWt9fGB&state={base64.urlsafe_b64encode(rnd.randbytes(48)).decode()}",
    f'{iso(T0)} INFO meeting {{"mid":"{base64.b64encode(rnd.randbytes(16)).decode()}","uuid":"{base64.b64encode(rnd.randbytes(16)).decode()}"}}',
    f"{iso(T0)} INFO sha256={hashlib.sha256(b'x').hexdigest()}{hashlib.sha256(b'y').hexdigest()}",
    f"{iso(T0)} INFO avatar data:image/png;base64,{base64.b64encode(rnd.randbytes(600)).decode()}",
    f"{iso(T0)} INFO session sid={base64.urlsafe_b64encode(rnd.randbytes(64)).decode()}",
    f'{iso(T0)} INFO {{"context":"RoutesResolver","message":"AppController {{/}}:"}}',
    f'{iso(T0)} INFO {{"context":"InstanceLoader","message":"AppModule dependencies initialized"}}',
    f'{iso(T0)} INFO {{"traceContext":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}}',
    f"{iso(T0)} WARN x-zoom-app-context: undefined",
    f"{iso(T0)} WARN x-zoom-app-context: null",
    f"{iso(T0)} WARN {{'HTTP_X_ZOOM_APP_CONTEXT': None}}",
    f'{iso(T0)} WARN {{"appContext":""}}',
    f"{iso(T0)} WARN x-zoom-app-context:",
    f"{iso(T0)} INFO the context was lost in translation",
]):
    log.add(line)

# Line endings: the same log with CRLF and with CR only; PowerShell's UTF-16; compressed copies.
for name, nl in [("crlf.log", "\r\n"), ("cr_only.log", "\r")]:
    log = new(name, nl)
    each(6, lambda at, kind, i: log.add(f"{iso(at)} WARN x-zoom-app-context: {token(at, kind)}", [(0, kind)]))
log = new("powershell_utf16.log")
each(6, lambda at, kind, i: log.add(f"{at:%Y-%m-%d %H:%M:%S} Rejected context {token(at, 'ok' if kind == 'truncated' else kind)} from {{\"appContext\": \"{token(at, kind)}\"}}",
                                      [(0, "ok" if kind == "truncated" else kind), (0, kind)]))

os.makedirs(OUT, exist_ok=True)
for log in logs:
    data = log.data()
    if log.name == "powershell_utf16.log":
        open(os.path.join(OUT, log.name), "wb").write(b"\xff\xfe" + data.decode().encode("utf-16-le"))
        continue
    open(os.path.join(OUT, log.name), "wb").write(data)
for src, dst, comp in [("pino.log", "pino.log.gz", gzip.compress), ("syslog", "syslog.1.bz2", bz2.compress)]:
    raw = open(os.path.join(OUT, src), "rb").read()
    open(os.path.join(OUT, dst), "wb").write(comp(raw))
    truth.extend([dict(t, file=dst) for t in truth if t["file"] == src])
json.dump(truth, open(os.path.join(OUT, "truth.json"), "w"), indent=0)
print(f"{len(logs)} logs, {len(truth)} tokens")
