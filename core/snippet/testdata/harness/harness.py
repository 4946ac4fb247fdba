# The Python app-context program's test harness (core/snippet's tests): one case a line on stdin,
# "hex header or -<TAB>client ID or -<TAB>now ms"; prints "verdict<TAB>reason<TAB>payload JSON or
# message", or "crash<TAB>what" when anything but AppContextError escapes.
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[1])))
import zoom_app_context as z  # noqa: E402

secret = os.environ["ZOOM_CLIENT_SECRET"]
for line in sys.stdin:
    h, cid, now = line.rstrip("\n").split("\t")
    header = None if h == "-" else bytes.fromhex(h).decode("latin-1")  # as WSGI hands it over
    try:
        payload = z.decrypt_app_context(header, secret, None if cid == "-" else cid, int(now))
        out = "ok\t\t" + json.dumps(payload, separators=(",", ":"))
    except z.AppContextError as e:
        out = f"{e.verdict}\t{e.reason}\t{e}"
    except BaseException as e:  # noqa: B036 the point is to see anything that escapes
        out = f"crash\t{type(e).__name__}: {e}"
    print(out.replace("\n", " "), flush=False)
