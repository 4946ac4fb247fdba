// A Java API (the JDK's own HTTP server, where a servlet would sit) that the app's frontend POSTs
// getAppContext() to, as {"appContext": "..."}. It answers 405 to anything but POST. Bug, as
// written in the wild: the key is the secret's bytes padded with zeros to 32
// (Arrays.copyOf(secret.getBytes(), 32)) instead of SHA-256(secret).
// Usage: ZOOM_CLIENT_SECRET=... java PostOnlyBackend.java  (prints its port)
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

public class PostOnlyBackend {
    private static final byte[] KEY = Arrays.copyOf(System.getenv("ZOOM_CLIENT_SECRET").getBytes(StandardCharsets.UTF_8), 32);
    private static final Pattern FIELD = Pattern.compile("\"appContext\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern EXP = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)");

    static String decrypt(String context) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Base64.getUrlDecoder().decode(context)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] iv = new byte[b.get() & 0xff];
        b.get(iv);
        byte[] aad = new byte[b.getShort() & 0xffff];
        b.get(aad);
        int cipherLength = b.getInt();
        byte[] ciphertextAndTag = new byte[b.remaining()];
        b.get(ciphertextAndTag);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(aad);
        return new String(cipher.doFinal(ciphertextAndTag), StandardCharsets.UTF_8);
    }

    static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] out = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/context", ex -> {
            if (!"POST".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "POST");
                send(ex, 405, "{\"error\":\"method not allowed\"}");
                return;
            }
            Matcher m = FIELD.matcher(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (!m.find()) {
                send(ex, 400, "{\"error\":\"appContext missing\"}");
                return;
            }
            try {
                String json = decrypt(m.group(1));
                Matcher exp = EXP.matcher(json);
                if (!exp.find() || Long.parseLong(exp.group(1)) < System.currentTimeMillis() || !json.contains("\"iss\":\"marketplace.zoom.us\"")) {
                    send(ex, 401, "{\"error\":\"context expired\"}");
                    return;
                }
                send(ex, 200, json);
            } catch (AEADBadTagException e) {
                send(ex, 401, "{\"error\":\"" + e + "\"}");
            } catch (Exception e) {
                send(ex, 400, "{\"error\":\"" + e.getClass().getName() + "\"}");
            }
        });
        server.start();
        System.out.println(server.getAddress().getPort());
    }
}
