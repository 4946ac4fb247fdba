# Logs the app contexts given as arguments the way real Python programs do, nothing hand-formatted:
# the logging module's default format (with its timestamp), http.server's own access log for a real
# request carrying ?context=, and a real request's headers as Django logs request.META (a dict repr).
# Usage: python3 real_loggers.py OUTDIR TOKEN...
import http.server, logging, os, sys, threading, urllib.parse, urllib.request

out, tokens = sys.argv[1], sys.argv[2:]

logging.basicConfig(filename=os.path.join(out, "python_logging.log"), level=logging.INFO,
                    format="%(asctime)s %(levelname)s %(name)s %(message)s")
log = logging.getLogger("zoomapp")
for t in tokens:
    log.info("request headers: %r", {"HTTP_HOST": "app.example.com", "HTTP_X_ZOOM_APP_CONTEXT": t})

access = open(os.path.join(out, "http_server.log"), "w")

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
    def log_message(self, fmt, *args):  # the module's own format, to a file instead of stderr
        access.write("%s - - [%s] %s\n" % (self.address_string(), self.log_date_time_string(), fmt % args))

srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=srv.serve_forever, daemon=True).start()
for t in tokens:
    urllib.request.urlopen("http://127.0.0.1:%d/home?%s" % (srv.server_port, urllib.parse.urlencode({"context": t}))).read()
srv.shutdown()
access.close()
