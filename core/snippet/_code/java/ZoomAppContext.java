// Decrypt and check a Zoom Apps app context (the x-zoom-app-context header, or
// zoomSdk.getAppContext() sent by your front end).
//
// Needs: Java 11 or later, the JDK alone (javax.crypto; a strict JSON reader is included so the file
// stands alone: in your app Jackson or Gson can replace it).
// Run:   ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] java ZoomAppContext.java TOKEN
//
// In a com.sun.net.httpserver handler (a servlet filter reads request.getHeader the same way):
//
//   try {
//       Map<String, Object> ctx = ZoomAppContext.decrypt(exchange.getRequestHeaders().getFirst("X-Zoom-App-Context"),
//               System.getenv("ZOOM_CLIENT_SECRET"), System.getenv("ZOOM_CLIENT_ID"), null);
//       exchange.sendResponseHeaders(204, -1); // ctx.get("uid") is the user: serve the app here
//   } catch (ZoomAppContext.AppContextException e) {
//       byte[] body = ("{\"verdict\":\"" + e.verdict + "\",\"reason\":\"" + e.reason + "\"}").getBytes(StandardCharsets.UTF_8);
//       exchange.getResponseHeaders().set("Content-Type", "application/json");
//       exchange.sendResponseHeaders(e.httpStatus(), body.length);
//       exchange.getResponseBody().write(body);
//   }
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

public class ZoomAppContext {
    static final int MAX_TOKEN_LEN = 8192; // far above a real context (~500 bytes); checked first, so all else is linear
    static final int IV_SIZE = 12; // Zoom seals with a 12-byte IV
    static final int TAG_SIZE = 16; // AES-GCM's full 128-bit tag
    static final int MAX_DEPTH = 64; // JSON nesting accepted in the payload
    static final double SECONDS_BELOW = 1e11; // an exp or ts below this is epoch seconds, not milliseconds
    static final double NUMBERS_BELOW = 1e15;

    /**
     * The one exception decrypt throws for a token it refuses. verdict is one of no_token, malformed,
     * tag_mismatch, bad_payload, wrong_aud, expired; reason is the code zoomdbg uses for the same
     * refusal; getMessage() says why in words, never with the secret.
     */
    public static class AppContextException extends Exception {
        public final String verdict;
        public final String reason;

        AppContextException(String verdict, String reason, String detail) {
            super(verdict + "/" + reason + ": " + detail);
            this.verdict = verdict;
            this.reason = reason;
        }

        /** 400 for a token that is not an app context at all, 401 for one not valid here and now. */
        public int httpStatus() {
            return verdict.equals("malformed") ? 400 : 401;
        }
    }

    static AppContextException malformed(String reason, String detail) {
        return new AppContextException("malformed", reason, detail);
    }

    static AppContextException badPayload(String reason, String detail) {
        return new AppContextException("bad_payload", reason, detail);
    }

    /**
     * Returns the payload of a Zoom app context, or throws AppContextException. header is the value
     * as the server hands it over: a String, or null when absent. clientId, when not null or empty,
     * must equal the payload's aud. nowMs is the current time in epoch milliseconds (null: now). An
     * empty clientSecret is the server's fault, not the token's: it throws IllegalArgumentException.
     */
    public static Map<String, Object> decrypt(String header, String clientSecret, String clientId, Long nowMs)
            throws AppContextException {
        if (clientSecret == null || clientSecret.isEmpty()) {
            throw new IllegalArgumentException("client secret is empty: set ZOOM_CLIENT_SECRET");
        }
        byte[] b = decodeToken(header);
        int sealedAt = splitLayout(b);
        byte[] plaintext;
        try {
            // Zoom's key is SHA-256 of the secret, used as is: not HKDF, not PBKDF2.
            byte[] key = MessageDigest.getInstance("SHA-256").digest(clientSecret.getBytes(StandardCharsets.UTF_8));
            int aadLen = (b[13] & 0xff) | (b[14] & 0xff) << 8;
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_SIZE * 8, b, 1, IV_SIZE));
            c.updateAAD(b, 15, aadLen);
            plaintext = c.doFinal(b, sealedAt, b.length - sealedAt); // ciphertext then tag
        } catch (AEADBadTagException e) {
            throw new AppContextException("tag_mismatch", "tag", "tag mismatch: wrong client secret, or the token was altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM lacks SHA-256 or AES-GCM", e); // every Java 11+ has both
        }
        Map<String, Object> payload = parsePayload(plaintext);
        checkClaims(payload, clientId, nowMs != null ? nowMs : System.currentTimeMillis());
        return payload;
    }

    static boolean isBase64url(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    static byte[] decodeToken(String h) throws AppContextException {
        if (h == null || h.isEmpty()) {
            throw new AppContextException("no_token", "missing", "no app context: the header is absent or empty");
        }
        if (h.length() > MAX_TOKEN_LEN) {
            throw malformed("too_long", "token is " + h.length() + " bytes, more than " + MAX_TOKEN_LEN);
        }
        int end = h.length(); // h.substring(end) is the trailing '=' padding, counted with a loop
        while (end > 0 && h.charAt(end - 1) == '=') end--;
        int std = -1, bad = -1;
        for (int i = 0; i < end; i++) {
            char c = h.charAt(i);
            if (c == '+' || c == '/') {
                if (std < 0) std = i;
            } else if (bad < 0 && !isBase64url(c)) {
                bad = i;
            }
        }
        if (std >= 0) {
            throw malformed("std_base64", "'" + h.charAt(std) + "' at offset " + std + ": standard base64, Zoom sends base64url ('-' and '_')");
        }
        if (bad >= 0) {
            throw malformed("bad_char", String.format("character U+%04X at offset %d is not base64url", (int) h.charAt(bad), bad));
        }
        if (h.length() - end > 2) throw malformed("bad_padding", (h.length() - end) + " '=' at the end: at most 2");
        if (end % 4 == 1) throw malformed("bad_length", end + " characters is not a base64url length");
        return Base64.getUrlDecoder().decode(h.substring(0, end)); // only base64url reaches it
    }

    /** Checks ivLen u8 | iv | aadLen u16 LE | aad | cipherLen u32 LE | ciphertext | tag; returns where the ciphertext starts. */
    static int splitLayout(byte[] b) throws AppContextException {
        if (b.length < 1) throw malformed("truncated", "no bytes: the token ends before the IV length");
        if (b[0] != IV_SIZE) throw malformed("iv_length", "IV length " + (b[0] & 0xff) + ", Zoom uses " + IV_SIZE);
        int off = 1 + IV_SIZE;
        if (b.length < off + 2) throw malformed("truncated", "the token ends at byte " + b.length + ", before the AAD length");
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int aadLen = Short.toUnsignedInt(in.getShort(off));
        off += 2;
        if (b.length - off < aadLen + 4) {
            throw malformed("truncated", "the token ends at byte " + b.length + ", before the AAD and ciphertext length");
        }
        off += aadLen;
        long cipherLen = Integer.toUnsignedLong(in.getInt(off)); // up to 2^32-1: a long, so no overflow
        off += 4;
        long rest = b.length - off;
        if (rest < cipherLen) throw malformed("truncated", "ciphertext length " + cipherLen + ", only " + rest + " bytes remain");
        if (rest < cipherLen + TAG_SIZE) throw malformed("short_tag", "tag is " + (rest - cipherLen) + " bytes, AES-GCM needs " + TAG_SIZE);
        if (rest > cipherLen + TAG_SIZE) throw malformed("trailing_bytes", (rest - cipherLen - TAG_SIZE) + " bytes after the tag");
        return off;
    }

    static Map<String, Object> parsePayload(byte[] p) throws AppContextException {
        String text;
        try { // strict: refuses malformed and surrogate bytes instead of replacing them
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(p)).toString();
        } catch (CharacterCodingException e) {
            throw badPayload("not_utf8", "payload is not UTF-8");
        }
        if (text.startsWith("\uFEFF")) throw badPayload("bom", "payload starts with a UTF-8 byte order mark");
        int[] scan = StrictJson.scan(text);
        if (scan[0] > MAX_DEPTH) throw badPayload("too_deep", "payload nests deeper than " + MAX_DEPTH);
        if (scan[1] > 0 && !StrictJson.isBlank(text, scan[1])) {
            if (StrictJson.parse(text.substring(0, scan[1])) == StrictJson.INVALID) throw badPayload("not_json", "payload is not JSON");
            throw badPayload("trailing_data", "payload has data after its JSON object");
        }
        Object v = StrictJson.parse(text);
        if (v == StrictJson.INVALID) throw badPayload("not_json", "payload is not JSON");
        if (!(v instanceof Map)) throw badPayload("not_object", "payload is JSON but not an object");
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) v;
        return payload;
    }

    /** exp or ts: a finite JSON number of epoch milliseconds. */
    static double claimTime(String name, Object v) throws AppContextException {
        if (!(v instanceof Double)) throw badPayload(name + "_type", name + " is not a number");
        double d = (Double) v;
        if (Double.isInfinite(d) || Double.isNaN(d) || d <= 0 || d >= NUMBERS_BELOW) {
            throw badPayload(name + "_type", name + " " + v + " is not epoch milliseconds");
        }
        if (d < SECONDS_BELOW) throw badPayload(name + "_seconds", name + " " + v + " is in seconds; Zoom sends milliseconds");
        return d;
    }

    static void checkClaims(Map<String, Object> payload, String clientId, long nowMs) throws AppContextException {
        if (!payload.containsKey("exp")) throw badPayload("exp_missing", "payload has no exp");
        double exp = claimTime("exp", payload.get("exp"));
        if (payload.containsKey("ts")) claimTime("ts", payload.get("ts"));
        if (clientId != null && !clientId.isEmpty() && !clientId.equals(payload.get("aud"))) {
            throw new AppContextException("wrong_aud", "aud", "aud is not this app's client ID");
        }
        if (nowMs >= exp) {
            throw new AppContextException("expired", "expired", "expired " + (long) (nowMs - exp) + " ms ago (a context lives about 2 minutes)");
        }
    }

    public static void main(String[] args) {
        String secret = System.getenv("ZOOM_CLIENT_SECRET");
        if (args.length != 1 || secret == null || secret.isEmpty()) {
            System.err.println("usage: ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] java ZoomAppContext.java TOKEN");
            System.exit(2);
        }
        try {
            System.out.println(StrictJson.write(decrypt(args[0], secret, System.getenv("ZOOM_CLIENT_ID"), null)));
        } catch (AppContextException e) {
            System.err.println("refused: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Strict RFC 8259 JSON: objects (Map), arrays (List), strings, numbers (Double), true, false, null.
     * Refuses leading zeros, '+', NaN, raw control characters and bad escapes. Its recursion is
     * bounded because parsePayload caps the nesting first.
     */
    static final class StrictJson {
        static final Object INVALID = new Object();
        private final String s;
        private int i;

        private StrictJson(String s) { this.s = s; }

        static boolean isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

        static boolean isBlank(String s, int from) {
            for (int k = from; k < s.length(); k++) if (!isSpace(s.charAt(k))) return false;
            return true;
        }

        /** The deepest bracket nesting outside strings, and where the leading '{' closes (else 0). Linear. */
        static int[] scan(String s) {
            int lead = 0;
            while (lead < s.length() && isSpace(s.charAt(lead))) lead++;
            boolean isObject = lead < s.length() && s.charAt(lead) == '{';
            int deepest = 0, depth = 0, end = 0;
            boolean inString = false, escaped = false;
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                if (inString) {
                    if (escaped) escaped = false;
                    else if (c == '\\') escaped = true;
                    else if (c == '"') inString = false;
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    deepest = Math.max(deepest, ++depth);
                } else if ((c == '}' || c == ']') && --depth == 0 && isObject && end == 0) {
                    end = k + 1;
                }
            }
            return new int[] {deepest, end};
        }

        /** The value the whole text holds, or INVALID. */
        static Object parse(String s) {
            StrictJson p = new StrictJson(s);
            try {
                Object v = p.value();
                p.space();
                return p.i == s.length() ? v : INVALID;
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                return INVALID;
            }
        }

        private char peek() { return i < s.length() ? s.charAt(i) : '\0'; }

        private void space() { while (i < s.length() && isSpace(s.charAt(i))) i++; }

        private void expect(char c) {
            if (peek() != c || i >= s.length()) throw new IllegalArgumentException("expected " + c + " at " + i);
            i++;
        }

        private Object value() {
            space();
            char c = peek();
            if (c == '{') return object();
            if (c == '[') return array();
            if (c == '"') return string();
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            return number();
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            expect('{');
            space();
            if (peek() == '}') { i++; return m; }
            while (true) {
                space();
                String k = string();
                space();
                expect(':');
                m.put(k, value()); // a repeated key keeps its last value, as most parsers do
                space();
                if (peek() == '}') { i++; return m; }
                expect(',');
            }
        }

        private List<Object> array() {
            List<Object> l = new ArrayList<>();
            expect('[');
            space();
            if (peek() == ']') { i++; return l; }
            while (true) {
                l.add(value());
                space();
                if (peek() == ']') { i++; return l; }
                expect(',');
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++); // past the end: IndexOutOfBoundsException, so INVALID
                if (c == '"') return b.toString();
                if (c < 0x20) throw new IllegalArgumentException("raw control character");
                if (c != '\\') { b.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case '"': case '\\': case '/': b.append(e); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'u':
                        int u = 0;
                        for (int k = 0; k < 4; k++) {
                            int d = Character.digit(s.charAt(i++), 16);
                            if (d < 0) throw new IllegalArgumentException("bad \\u escape");
                            u = u << 4 | d;
                        }
                        b.append((char) u);
                        break;
                    default: throw new IllegalArgumentException("bad escape");
                }
            }
        }

        private boolean digits() {
            int start = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
            return i > start;
        }

        private Double number() {
            int start = i;
            if (peek() == '-') i++;
            if (peek() == '0') {
                i++;
            } else if (!digits()) {
                throw new IllegalArgumentException("not a value at " + start);
            }
            if (peek() == '.') { i++; if (!digits()) throw new IllegalArgumentException("fraction"); }
            if (peek() == 'e' || peek() == 'E') {
                i++;
                if (peek() == '+' || peek() == '-') i++;
                if (!digits()) throw new IllegalArgumentException("exponent");
            }
            return Double.valueOf(s.substring(start, i)); // 1e400 is Infinity, refused as exp_type
        }

        /** The payload as JSON text again, for printing. */
        static String write(Object v) {
            StringBuilder b = new StringBuilder();
            write(b, v);
            return b.toString();
        }

        private static void write(StringBuilder b, Object v) {
            if (v == null || v instanceof Boolean) {
                b.append(v);
            } else if (v instanceof Double) {
                double d = (Double) v;
                if (Double.isInfinite(d)) b.append("null"); // 1e400 in a field nobody checks: JSON has no Infinity
                else b.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : v.toString());
            } else if (v instanceof String) {
                b.append('"');
                for (char c : ((String) v).toCharArray()) {
                    if (c == '"' || c == '\\') b.append('\\').append(c);
                    else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
                b.append('"');
            } else if (v instanceof Map) {
                b.append('{');
                String sep = "";
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    b.append(sep);
                    write(b, e.getKey());
                    b.append(':');
                    write(b, e.getValue());
                    sep = ",";
                }
                b.append('}');
            } else {
                b.append('[');
                String sep = "";
                for (Object e : (List<?>) v) {
                    b.append(sep);
                    write(b, e);
                    sep = ",";
                }
                b.append(']');
            }
        }
    }
}
