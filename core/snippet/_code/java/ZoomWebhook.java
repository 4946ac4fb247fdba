// Verify a Zoom webhook delivery and answer the endpoint.url_validation handshake.
//
// Run: ZOOM_WEBHOOK_SECRET_TOKEN=... java ZoomWebhook.java [TIMESTAMP [SIGNATURE]] < body.json
// Needs: Java 17+ (HexFormat), no libraries (in an app, parse the verified body with the JSON library you use).
//
// In a servlet filter or a Spring controller, verify the RAW bytes before any JSON binding:
//   byte[] body = request.getInputStream().readAllBytes();          // Spring: @RequestBody byte[] body
//   ZoomWebhook.verify(body, request.getHeader("x-zm-request-timestamp"), request.getHeader("x-zm-signature"), secretToken);
// Never hash objectMapper.writeValueAsString(parsedBody): it is not the bytes Zoom signed.
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public final class ZoomWebhook {
    /** The delivery was refused; getMessage() says why. */
    public static final class RefusedException extends Exception {
        RefusedException(String why) { super(why); }
    }

    static byte[] hmac(String secretToken, byte[]... parts) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secretToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        for (byte[] p : parts) mac.update(p);
        return mac.doFinal();
    }

    /** Checks x-zm-signature over the raw body; the headers are null when absent, as getHeader gives them. */
    public static void verify(byte[] rawBody, String timestamp, String signature, String secretToken)
            throws RefusedException, GeneralSecurityException {
        if (secretToken == null || secretToken.isEmpty()) throw new RefusedException("the secret token is empty: refusing every delivery");
        if (timestamp == null || timestamp.isEmpty() || signature == null || signature.isEmpty()) {
            throw new RefusedException("missing x-zm-request-timestamp or x-zm-signature header");
        }
        // Zoom signs "v0:" + the timestamp header (seconds) + ":" + the raw body, and sends "v0=" + lowercase hex.
        String expected = "v0=" + HexFormat.of().formatHex(hmac(secretToken, ("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8), rawBody));
        // MessageDigest.isEqual is constant-time (since Java 6u17).
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8))) {
            throw new RefusedException("signature mismatch");
        }
    }

    /** The answer to a VERIFIED endpoint.url_validation event, as a JSON object to send with HTTP 200. */
    public static String urlValidationResponse(String plainToken, String secretToken) throws GeneralSecurityException {
        String encrypted = HexFormat.of().formatHex(hmac(secretToken, plainToken.getBytes(StandardCharsets.UTF_8)));
        return "{\"plainToken\":" + quote(plainToken) + ",\"encryptedToken\":\"" + encrypted + "\"}";
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    /** A small JSON reader for the standalone run only: objects, arrays, strings, numbers, literals. */
    static final class Json {
        final String s;
        int i;
        Json(String s) { this.s = s; }
        static Object parse(String s) throws RefusedException {
            Json j = new Json(s);
            Object v = j.value();
            j.ws();
            if (j.i != s.length()) throw new RefusedException("the body is not JSON");
            return v;
        }
        void ws() { while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++; }
        Object value() throws RefusedException {
            ws();
            if (i >= s.length()) throw new RefusedException("the body is not JSON");
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++; ws();
                if (peek('}')) return m;
                do { ws(); String k = string(); ws(); expect(':'); m.put(k, value()); ws(); } while (peek(','));
                expect('}');
                return m;
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++; ws();
                if (peek(']')) return l;
                do { l.add(value()); ws(); } while (peek(','));
                expect(']');
                return l;
            }
            if (c == '"') return string();
            int start = i;
            while (i < s.length() && "+-0123456789.eEtruefalsn".indexOf(s.charAt(i)) >= 0) i++;
            String lit = s.substring(start, i);
            switch (lit) {
                case "true": return Boolean.TRUE;
                case "false": return Boolean.FALSE;
                case "null": return null;
            }
            try { return Double.parseDouble(lit); } catch (NumberFormatException e) { throw new RefusedException("the body is not JSON"); }
        }
        boolean peek(char c) { if (i < s.length() && s.charAt(i) == c) { i++; return true; } return false; }
        void expect(char c) throws RefusedException { if (!peek(c)) throw new RefusedException("the body is not JSON"); }
        String string() throws RefusedException {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (i < s.length() && s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c != '\\') { b.append(c); continue; }
                if (i >= s.length()) break;
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'r': b.append('\r'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u':
                        if (i + 4 > s.length()) throw new RefusedException("the body is not JSON");
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    default: b.append(e);
                }
            }
            expect('"');
            return b.toString();
        }
    }

    public static void main(String[] args) throws IOException, GeneralSecurityException {
        String secret = System.getenv("ZOOM_WEBHOOK_SECRET_TOKEN");
        byte[] body = System.in.readAllBytes();
        try {
            verify(body, args.length > 0 ? args[0] : null, args.length > 1 ? args[1] : null, secret);
            Object parsed = Json.parse(new String(body, StandardCharsets.UTF_8));
            if (!(parsed instanceof Map)) throw new RefusedException("the body is not a JSON object");
            Map<?, ?> event = (Map<?, ?>) parsed;
            if ("endpoint.url_validation".equals(event.get("event"))) {
                Object payload = event.get("payload");
                Object token = payload instanceof Map ? ((Map<?, ?>) payload).get("plainToken") : null;
                if (!(token instanceof String)) throw new RefusedException("url_validation without payload.plainToken");
                System.out.println(urlValidationResponse((String) token, secret));
            } else {
                System.out.println("verified " + event.get("event"));
            }
        } catch (RefusedException e) {
            System.err.println("refused: " + e.getMessage());
            System.exit(1);
        }
    }
}
