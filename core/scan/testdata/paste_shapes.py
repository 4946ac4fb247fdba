# Writes, as JSON, the shapes in which Python programs show an app context: Django's debug page and
# a logged request.META (repr of a dict), a Flask/Werkzeug headers repr, a urlencoded query, a
# structlog key=value line. Usage: python3 paste_shapes.py TOKEN
import base64, json, sys, urllib.parse

tok = sys.argv[1]
std = base64.b64encode(base64.urlsafe_b64decode(tok + "=" * (-len(tok) % 4))).decode()
meta = {"HTTP_HOST": "app.example.com", "HTTP_X_ZOOM_APP_CONTEXT": tok, "REQUEST_METHOD": "GET"}
shapes = [
    {"name": "request.META repr", "paste": repr(meta), "want": tok, "repair": 'taken from "HTTP_X_ZOOM_APP_CONTEXT", the x-zoom-app-context header'},
    {"name": "Django debug page row", "paste": "HTTP_X_ZOOM_APP_CONTEXT\n\n'" + tok + "'", "want": tok, "repair": ""},
    {"name": "werkzeug headers list", "paste": repr([("Host", "app.example.com"), ("X-Zoom-App-Context", tok)]), "want": tok, "repair": ""},
    {"name": "urlencode", "paste": "/home?" + urllib.parse.urlencode({"context": std, "lang": "en"}), "want": std, "repair": "percent-decoded"},
    {"name": "structlog console", "paste": "2026-11-20T09:30:01.123456Z [info     ] context received  app_context=" + tok + " user=1", "want": tok, "repair": 'taken from the value named "app_context"'},
]
print(json.dumps(shapes))
