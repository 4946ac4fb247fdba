// Decrypt and check a Zoom Apps app context (x-zoom-app-context / zoomSdk.getAppContext()).
// Run (Java 11+, single source file): ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] java ZoomAppContext.java TOKEN
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

public class ZoomAppContext {
    static final int TAG_SIZE = 16; // AES-GCM's full 128-bit tag; a shorter one would make forgery feasible

    public static class RefusedException extends Exception {
        RefusedException(String why) { super(why); }
    }

    /** Returns the payload's JSON text once the token opens, is unexpired and (if clientId is set) is for this app. */
    public static String decryptAppContext(String token, String clientSecret, String clientId, long nowMs)
            throws RefusedException, GeneralSecurityException {
        byte[] b;
        try {
            b = Base64.getUrlDecoder().decode(token.trim().replaceAll("=+$", ""));
        } catch (IllegalArgumentException e) {
            throw new RefusedException("not base64url: " + e.getMessage());
        }
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        byte[] iv = take(in, Byte.toUnsignedInt(take(in, 1, "iv length")[0]), "iv");
        byte[] aad = take(in, Short.toUnsignedInt(ByteBuffer.wrap(take(in, 2, "aad length")).order(ByteOrder.LITTLE_ENDIAN).getShort()), "aad");
        long ctLen = Integer.toUnsignedLong(ByteBuffer.wrap(take(in, 4, "ciphertext length")).order(ByteOrder.LITTLE_ENDIAN).getInt());
        int ctStart = in.position();
        take(in, ctLen, "ciphertext");
        if (in.remaining() != TAG_SIZE) {
            throw new RefusedException("tag at byte " + in.position() + ": expected exactly " + TAG_SIZE + " bytes, found " + in.remaining());
        }
        if (iv.length == 0) throw new RefusedException("iv length is 0");

        // Zoom's key is SHA-256 of the secret, used as is: not HKDF, not PBKDF2.
        byte[] key = MessageDigest.getInstance("SHA-256").digest(clientSecret.getBytes(StandardCharsets.UTF_8));
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_SIZE * 8, iv));
        c.updateAAD(aad);
        String json;
        try {
            json = new String(c.doFinal(b, ctStart, b.length - ctStart), StandardCharsets.UTF_8); // ciphertext then tag
        } catch (AEADBadTagException e) {
            throw new RefusedException("tag mismatch: wrong client secret, or the token was altered");
        }

        Map<String, Object> payload = MiniJson.object(json); // in your app: Jackson, Gson or org.json
        if (payload == null) throw new RefusedException("payload is not a JSON object");
        if (!(payload.get("exp") instanceof Double)) throw new RefusedException("payload has no numeric exp");
        double exp = (Double) payload.get("exp");
        if (exp <= nowMs) throw new RefusedException("expired " + (long) (nowMs - exp) / 1000 + " s ago"); // ms, not seconds
        if (clientId != null && !clientId.isEmpty() && !clientId.equals(payload.get("aud"))) {
            throw new RefusedException("aud " + payload.get("aud") + " is not this app's client ID");
        }
        return json;
    }

    static byte[] take(ByteBuffer in, long n, String what) throws RefusedException {
        if (n > in.remaining()) {
            throw new RefusedException(what + " at byte " + in.position() + ": needs " + n + " bytes, only " + in.remaining() + " remain");
        }
        byte[] out = new byte[(int) n];
        in.get(out);
        return out;
    }

    public static void main(String[] args) throws GeneralSecurityException {
        String secret = System.getenv("ZOOM_CLIENT_SECRET");
        if (args.length != 1 || secret == null || secret.isEmpty()) {
            System.err.println("usage: ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] java ZoomAppContext.java TOKEN");
            System.exit(2);
        }
        try {
            System.out.println(decryptAppContext(args[0], secret, System.getenv("ZOOM_CLIENT_ID"), System.currentTimeMillis()));
        } catch (RefusedException e) {
            System.err.println("refused: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Just enough JSON to read the payload without a dependency: objects, arrays, strings, numbers, literals. */
    static final class MiniJson {
        private final String s;
        private int i;

        private MiniJson(String s) { this.s = s; }

        @SuppressWarnings("unchecked")
        static Map<String, Object> object(String s) {
            try {
                MiniJson p = new MiniJson(s);
                Object v = p.value();
                p.ws();
                return p.i == s.length() && v instanceof Map ? (Map<String, Object>) v : null;
            } catch (RuntimeException e) {
                return null;
            }
        }

        private void ws() { while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++; }

        private Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                i++; ws();
                if (s.charAt(i) == '}') { i++; return m; }
                do { ws(); String k = string(); ws(); expect(':'); m.put(k, value()); ws(); } while (s.charAt(i++) == ',');
                if (s.charAt(i - 1) != '}') throw new IllegalArgumentException("object");
                return m;
            }
            if (c == '[') {
                java.util.List<Object> l = new java.util.ArrayList<>();
                i++; ws();
                if (s.charAt(i) == ']') { i++; return l; }
                do { l.add(value()); ws(); } while (s.charAt(i++) == ',');
                if (s.charAt(i - 1) != ']') throw new IllegalArgumentException("array");
                return l;
            }
            if (c == '"') return string();
            for (String lit : new String[] {"true", "false", "null"}) {
                if (s.startsWith(lit, i)) { i += lit.length(); return lit.equals("null") ? null : Boolean.valueOf(lit); }
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            return Double.valueOf(s.substring(start, i));
        }

        private void expect(char c) { if (s.charAt(i++) != c) throw new IllegalArgumentException("expected " + c); }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            for (char c; (c = s.charAt(i++)) != '"'; ) {
                if (c != '\\') { b.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    default: b.append(e);
                }
            }
            return b.toString();
        }
    }
}
