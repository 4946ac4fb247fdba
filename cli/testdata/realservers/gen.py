#!/usr/bin/env python3
"""Freezes logs that real servers and loggers wrote, for TestScanRealServers.

Every line in the output was written by the software named in its file's name, not by a template:
nginx (three log_formats: the combined format with the header, the request body with nginx's
default escaping, escape=json), Apache (apache2), lighttpd, PHP's built-in server (its request
log and error_log(json_encode($_GET))), Ruby's WEBrick (its access log, under a zone whose name
is ambiguous, IST, and one whose name is not, JST), Python's http.server and logging module,
Node's morgan, pino (one line of a megabyte too), winston and bunyan, curl --trace-ascii,
util-linux logger cutting lines at a size limit (--size), which cuts a bare token short, and Go's
log/slog with lmittmann/tint writing colour codes right before a value (gotint/).
They run on loopback; the requests carry app contexts sealed here, at send time, with Python's
cryptography package (an implementation independent of zoomdbg's), so each line's truth is
exact: truth.json lists every token each file holds, by line, with the status scan must give
and whether its expiry is judged by the line's time.

Run it once to refresh the frozen corpus (it needs nginx, apache2, lighttpd, php, ruby with
webrick, curl, util-linux logger, node with `npm ci` run in node/, go, python3 with cryptography):

    python3 cli/testdata/realservers/gen.py cli/testdata/realservers/frozen Zd3vS3cretF0rZoomdbgTestV3ctors1

The secret is the fixtures' "dev" test secret.
"""
import base64
import hashlib
import http.server
import json
import logging
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

HERE = os.path.dirname(os.path.abspath(__file__))
OUT, SECRET = os.path.abspath(sys.argv[1]), sys.argv[2]
OTHER = "AnotherAppsSecretNotTheOneGiven1"  # a token sealed with it does not open: tag_mismatch
os.makedirs(OUT, exist_ok=True)
for f in os.listdir(OUT):
    os.remove(os.path.join(OUT, f))
TMP = tempfile.mkdtemp(prefix="zoomdbg-realservers-")
os.environ["TZ"] = "UTC"  # zone-less times (Python's logging) are written in UTC; scan runs with --tz UTC
time.tzset()

tokens = []  # (token, status)


def seal(status, std=False):
    """Seals an app context as Zoom does: base64url(ivLen | iv | aadLen | aad | ctLen | ct | tag),
    key SHA-256(secret). std: standard base64 with padding, holding '+' and '/'."""
    while True:
        now = int(time.time() * 1000)
        ts, exp, secret = now, now + 120000, SECRET
        if status == "expired":
            ts, exp = now - 600000, now - 480000
        if status == "tag_mismatch":
            secret = OTHER
        key = hashlib.sha256(secret.encode()).digest()
        iv = os.urandom(12)
        pt = json.dumps({"typ": "panel", "uid": "u%d" % len(tokens), "ts": ts, "exp": exp}, separators=(",", ":")).encode()
        sealed = AESGCM(key).encrypt(iv, pt, b"")
        raw = bytes([12]) + iv + struct.pack("<H", 0) + struct.pack("<I", len(sealed) - 16) + sealed
        tok = base64.b64encode(raw).decode() if std else base64.urlsafe_b64encode(raw).decode().rstrip("=")
        # The signature truth looks for (tok[1:20]) must survive every escaping: letters and digits.
        if not tok[1:20].isalnum():
            continue
        if std and not ("+" in tok and "/" in tok):
            continue
        # A token in the standard alphabet is malformed (std_base64) whatever it holds: a backend
        # that follows Zoom's format refuses it (README, "The verdict on a context").
        tokens.append((tok, "malformed" if std else status))
        return tok


STATUSES = ["ok", "expired", "tag_mismatch"]


def each_status(fn, std=False):
    for st in STATUSES:
        fn(seal(st, std))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, proc=None, what=""):
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc is not None and proc.poll() is not None:
                raise SystemExit("%s exited: %s" % (what, proc.args))
            time.sleep(0.1)
    raise SystemExit("%s did not listen on %d" % (what, port))


def get(port, path, headers=None, data=None, ctype=None):
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), data=data, headers=headers or {})
    if ctype:
        req.add_header("Content-Type", ctype)
    try:
        urllib.request.urlopen(req, timeout=5).read()
    except urllib.error.HTTPError:
        pass


def q(tok):
    return urllib.parse.quote(tok, safe="")


# --- Python: http.server's access log and the logging module, as an upstream for nginx too -----
logging.basicConfig(filename=os.path.join(OUT, "python_logging.log"), level=logging.INFO,
                    format="%(asctime)s %(levelname)s %(name)s %(message)s")
pylog = logging.getLogger("zoomapp")
pyaccess = open(os.path.join(OUT, "python_http_server.log"), "w")


class Upstream(http.server.BaseHTTPRequestHandler):
    def handle_one(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        ctx = self.headers.get("X-Zoom-App-Context")
        if ctx:
            pylog.info("request headers: %r", {"HTTP_HOST": self.headers.get("Host"), "HTTP_X_ZOOM_APP_CONTEXT": ctx})
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_POST = handle_one

    def log_message(self, fmt, *args):
        pyaccess.write("%s - - [%s] %s\n" % (self.address_string(), self.log_date_time_string(), fmt % args))
        pyaccess.flush()


up = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
UP = up.server_port
threading.Thread(target=up.serve_forever, daemon=True).start()


def python_requests():
    each_status(lambda t: get(UP, "/home?" + urllib.parse.urlencode({"context": t})))
    each_status(lambda t: get(UP, "/home", {"X-Zoom-App-Context": t}))


# --- nginx -------------------------------------------------------------------------------------
def nginx():
    port = free_port()
    for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"):
        os.makedirs(os.path.join(TMP, "nginx", d), exist_ok=True)
    conf = os.path.join(TMP, "nginx", "nginx.conf")
    t = os.path.join(TMP, "nginx")
    with open(conf, "w") as f:
        f.write("""
daemon off;
master_process off;
worker_processes 1;
pid %(t)s/nginx.pid;
error_log %(t)s/error.log;
events {}
http {
  client_body_temp_path %(t)s/body; proxy_temp_path %(t)s/proxy; fastcgi_temp_path %(t)s/fastcgi;
  uwsgi_temp_path %(t)s/uwsgi; scgi_temp_path %(t)s/scgi;
  log_format withctx '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_zoom_app_context"';
  log_format body '$remote_addr [$time_local] "$request" $status "$request_body"';
  log_format jsonlog escape=json '{"time":"$time_iso8601","remote_addr":"$remote_addr","request":"$request","status":$status,"body":"$request_body","ctx":"$http_x_zoom_app_context"}';
  server {
    listen 127.0.0.1:%(port)d;
    location / {
      proxy_pass http://127.0.0.1:%(up)d;
      access_log %(out)s/nginx_access.log withctx;
      access_log %(out)s/nginx_body.log body;
      access_log %(out)s/nginx_json.log jsonlog;
    }
  }
}
""" % {"t": t, "port": port, "up": UP, "out": OUT})
    p = subprocess.Popen(["nginx", "-p", t, "-c", conf], stderr=subprocess.DEVNULL)
    wait_port(port, p, "nginx")
    each_status(lambda t: get(port, "/home?context=" + t))
    each_status(lambda t: get(port, "/home?context=" + q(t)), std=True)
    # A token cut seven characters short: with " HTTP/1" after it, it has a whole token's length.
    tok = seal("ok")
    tokens[-1] = (tok, "malformed")
    get(port, "/home?context=" + tok[:-7])
    each_status(lambda t: get(port, "/home", {"X-Zoom-App-Context": t}))
    each_status(lambda t: get(port, "/api/context", data=json.dumps({"context": t}).encode(), ctype="application/json"))
    each_status(lambda t: get(port, "/api/context", data=json.dumps({"context": t}).encode(), ctype="application/json"), std=True)
    each_status(lambda t: get(port, "/form", data=("context=" + q(t)).encode(), ctype="application/x-www-form-urlencoded"), std=True)
    # curl, tracing the request it sends: --trace-ascii wraps the header every 64 bytes.
    trace = os.path.join(OUT, "curl_trace_ascii.log")
    with open(trace, "w"):
        pass
    for st in ("ok", "tag_mismatch"):  # the trace carries no time: expiry is not judged
        for std in (False, True):
            t = seal(st, std)
            one = os.path.join(TMP, "trace.txt")
            subprocess.run(["curl", "-s", "-o", "/dev/null", "--trace-ascii", one, "-H", "x-zoom-app-context: " + t,
                            "http://127.0.0.1:%d/home?context=%s" % (port, q(t))], check=True)
            with open(trace, "a") as f, open(one) as g:
                f.write(g.read())
    p.terminate()
    p.wait()


# --- Apache ------------------------------------------------------------------------------------
def apache():
    port = free_port()
    t = os.path.join(TMP, "apache")
    os.makedirs(os.path.join(t, "www"), exist_ok=True)
    with open(os.path.join(t, "www", "home"), "w") as f:
        f.write("ok")
    conf = os.path.join(t, "httpd.conf")
    with open(conf, "w") as f:
        f.write("""
ServerRoot %(t)s
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
ServerName localhost
Listen 127.0.0.1:%(port)d
PidFile %(t)s/httpd.pid
Mutex file:%(t)s default
User www-data
Group www-data
DocumentRoot %(t)s/www
ErrorLog %(t)s/error.log
LogFormat "%%h %%l %%u %%t \\"%%r\\" %%>s %%b \\"%%{Referer}i\\" \\"%%{User-Agent}i\\" \\"%%{x-zoom-app-context}i\\"" ctx
CustomLog %(out)s/apache_access.log ctx
""" % {"t": t, "port": port, "out": OUT})
    p = subprocess.Popen(["apache2", "-f", conf, "-DFOREGROUND"], stderr=subprocess.DEVNULL)
    wait_port(port, p, "apache2")
    each_status(lambda t: get(port, "/home?context=" + t))
    each_status(lambda t: get(port, "/home?context=" + q(t)), std=True)
    each_status(lambda t: get(port, "/home", {"X-Zoom-App-Context": t}))
    time.sleep(0.5)  # the log is written by a child after the response
    p.terminate()
    p.wait()


# --- lighttpd ----------------------------------------------------------------------------------
def lighttpd():
    port = free_port()
    t = os.path.join(TMP, "lighttpd")
    os.makedirs(os.path.join(t, "www"), exist_ok=True)
    with open(os.path.join(t, "www", "home"), "w") as f:
        f.write("ok")
    conf = os.path.join(t, "lighttpd.conf")
    with open(conf, "w") as f:
        f.write("""
server.modules = ("mod_accesslog")
server.document-root = "%(t)s/www"
server.bind = "127.0.0.1"
server.port = %(port)d
server.errorlog = "%(t)s/error.log"
accesslog.filename = "%(out)s/lighttpd_access.log"
accesslog.format = "%%h %%V %%u %%t \\"%%r\\" %%>s %%b \\"%%{Referer}i\\" \\"%%{User-Agent}i\\" \\"%%{x-zoom-app-context}i\\""
""" % {"t": t, "port": port, "out": OUT})
    p = subprocess.Popen(["lighttpd", "-D", "-f", conf], stderr=subprocess.DEVNULL)
    wait_port(port, p, "lighttpd")
    each_status(lambda t: get(port, "/home?context=" + t))
    each_status(lambda t: get(port, "/home", {"X-Zoom-App-Context": t}))
    time.sleep(0.3)
    p.terminate()
    p.wait()


# --- PHP's built-in server ---------------------------------------------------------------------
def php():
    port = free_port()
    router = os.path.join(TMP, "router.php")
    with open(router, "w") as f:
        f.write("<?php\nerror_log(json_encode($_GET));\necho 'ok';\n")
    log = open(os.path.join(OUT, "php_builtin_server.log"), "w")
    p = subprocess.Popen(["php", "-S", "127.0.0.1:%d" % port, router], stdout=log, stderr=log)
    wait_port(port, p, "php -S")
    # A standard-base64 token sent in a query unencoded: PHP's decoder makes its '+' spaces, and
    # json_encode writes its '/' as '\/'.
    each_status(lambda t: get(port, "/launch?context=" + t.replace("=", "%3D")), std=True)
    each_status(lambda t: get(port, "/launch?context=" + t))
    time.sleep(0.3)
    p.terminate()
    p.wait()
    log.close()


# --- Ruby's WEBrick ----------------------------------------------------------------------------
WEBRICK = r"""
require "webrick"
log = File.open(ARGV[0], "w")
log.sync = true
s = WEBrick::HTTPServer.new(BindAddress: "127.0.0.1", Port: 0, Logger: WEBrick::Log.new(log),
                            AccessLog: [[log, WEBrick::AccessLog::COMMON_LOG_FORMAT]])
s.mount_proc("/") { |req, res| res.body = "ok" }
STDOUT.puts s.config[:Port]
STDOUT.flush
trap("TERM") { s.shutdown }
s.start
"""


def webrick(tz, name):
    script = os.path.join(TMP, "webrick.rb")
    with open(script, "w") as f:
        f.write(WEBRICK)
    env = dict(os.environ, TZ=tz)
    p = subprocess.Popen(["ruby", script, os.path.join(OUT, name)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    port = int(p.stdout.readline())
    wait_port(port, p, "webrick")
    each_status(lambda t: get(port, "/home?context=" + t))
    p.terminate()
    p.wait()


# --- Node: morgan, pino, winston, bunyan -------------------------------------------------------
def node():
    port = free_port()
    env = dict(os.environ, TZ="UTC", PORT=str(port), OUT=OUT)
    p = subprocess.Popen(["node", os.path.join(HERE, "node", "server.js")], env=env, cwd=os.path.join(HERE, "node"))
    wait_port(port, p, "node")
    each_status(lambda t: get(port, "/home?context=" + t))
    each_status(lambda t: get(port, "/home", {"X-Zoom-App-Context": t}))
    each_status(lambda t: get(port, "/big", {"X-Zoom-App-Context": t}))  # pino: a 1 MB line, time first, token last
    get(port, "/quit")
    p.wait()


# --- util-linux logger: syslog lines cut at a size limit -----------------------------------------
def logger_cut():
    """logger --size N cuts a message to N bytes (1 KiB unless told; syslog daemons cut at their own
    limits): a bare token at a line's end is cut short. Its datagrams go to a socket of our own (no daemon
    needed); -s makes logger write each line to stderr too, and that is what is kept."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    path = os.path.join(TMP, "log.sock")
    sock.bind(path)
    msg = "decrypt failed for "
    with open(os.path.join(OUT, "logger_cut.log"), "w") as out:
        def log(text, size):
            r = subprocess.run(["logger", "--socket", path, "--size", str(size), "-s", "-t", "zoomapp", text],
                               capture_output=True, text=True, check=True)
            out.write(r.stderr)
        tok = seal("ok")  # whole: the limit is above the line
        log(msg + tok, 1024)
        # Cut at lengths of each kind: 4k+1 characters (no decoding as it stands), 4k+2 and 4k+3
        # (inside the ciphertext), 4k, and inside the tag.
        for keep in (61, 62, 63, 64, None):
            tok = seal("ok")
            tokens[-1] = (tok, "malformed")
            n = keep if keep else len(tok) - 8
            log(msg + tok, len(msg) + n)
    sock.close()


# --- Go: log/slog with lmittmann/tint, colours on --------------------------------------------------
def go_tint():
    """tint dims a key and resets the colour right before its value (\\x1b[2mcontext=\\x1b[0mTOKEN),
    colours an error value (\\x1b[2;91merr=\\x1b[22mTOKEN), and writes a group's keys dotted."""
    toks = [seal(st) for st in STATUSES for _ in range(3)]  # each status in each of gotint's three lines
    subprocess.run(["go", "run", ".", os.path.join(OUT, "go_tint.log")], input="\n".join(toks) + "\n",
                   text=True, check=True, cwd=os.path.join(HERE, "gotint"))


python_requests()
go_tint()
logger_cut()
nginx()
apache()
lighttpd()
php()
webrick("Asia/Kolkata", "webrick_ist.log")  # IST: India, Ireland or Israel: not judged
webrick("Asia/Tokyo", "webrick_jst.log")
node()
up.shutdown()
pyaccess.close()
logging.shutdown()
shutil.rmtree(TMP, ignore_errors=True)

# --- truth: every token each file holds, by line -----------------------------------------------
# A token is known in a line by tok[1:20], letters and digits only, which every escaping leaves
# as it is; curl's trace may wrap it, so a trace line is looked at with the next line's data.
NOT_JUDGED = {"webrick_ist.log": "zone", "curl_trace_ascii.log": "no time"}
truth = []
for name in sorted(os.listdir(OUT)):
    with open(os.path.join(OUT, name), encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    for i, line in enumerate(lines):
        look = line
        if name.startswith("curl_trace") and i + 1 < len(lines) and ": " in lines[i + 1][:10]:
            look = line + lines[i + 1].split(": ", 1)[1]
        found = []
        for tok, status in tokens:
            k = look.find(tok[1:20])
            # each time the signature starts in this line (not only in the next one's data)
            while 0 <= k < len(line):
                found.append((k, tok, status))
                k = look.find(tok[1:20], k + 1)
        for k, tok, status in sorted(found):
            judged = NOT_JUDGED.get(name, "line")
            if judged != "line" and status == "expired":
                status = "ok"  # expired, but its line gives no time to know it by
            truth.append({"file": name, "line": i + 1, "status": status, "judged": judged})
# pino's megabyte lines are stored compressed (scan reads gzip by its magic bytes).
import gzip
with open(os.path.join(OUT, "pino.log"), "rb") as f, gzip.open(os.path.join(OUT, "pino.log.gz"), "wb") as g:
    g.write(f.read())
os.remove(os.path.join(OUT, "pino.log"))
for e in truth:
    if e["file"] == "pino.log":
        e["file"] = "pino.log.gz"
with open(os.path.join(OUT, "..", "truth.json"), "w") as f:
    json.dump(truth, f, indent=0)
    f.write("\n")
print("%d tokens sealed, %d in the logs, %d files" % (len(tokens), len(truth), len(os.listdir(OUT))))
