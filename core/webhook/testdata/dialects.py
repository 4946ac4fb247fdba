"""Writes each body of argv[1] (a JSON list of strings) back out the ways Python verifiers do, as
base64 of UTF-8 (lone surrogates kept as escapes by surrogatepass where they occur)."""
import base64, json, sys
out = []
for body in json.loads(sys.argv[1]):
    v = json.loads(body)
    enc = lambda s: base64.b64encode(s.encode("utf-8", "surrogatepass")).decode()
    out.append({
        "py": enc(json.dumps(v)),
        "py_nonascii": enc(json.dumps(v, ensure_ascii=False)),
        "py_compact": enc(json.dumps(v, separators=(",", ":"))),
        "py_sorted": enc(json.dumps(v, sort_keys=True)),
        "py_indent2": enc(json.dumps(v, indent=2)),
        "py_str": enc(str(v)),
    })
json.dump(out, sys.stdout)
