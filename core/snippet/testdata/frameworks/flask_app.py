# The Flask app core/snippet's TestFrameworks runs: the view is the one the Python program's
# header shows, pasted where EXAMPLE stands; werkzeug serves it on a port the kernel picks.
import os

from flask import Flask, request
from werkzeug.serving import make_server

from zoom_app_context import AppContextError, decrypt_app_context

app = Flask(__name__)
# EXAMPLE
server = make_server("127.0.0.1", 0, app)
print(server.server_port, flush=True)
server.serve_forever()
