// PKCE for Zoom OAuth: a code verifier and its S256 challenge (RFC 7636).
// Run (Java 11+, single source file): java ZoomPkce.java [VERIFIER]
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

public class ZoomPkce {
    /** 43 characters from a CSPRNG, within RFC 7636 section 4.1's 43-128 unreserved characters. */
    public static String newVerifier() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** RFC 7636 S256: BASE64URL-NOPAD(SHA-256(ASCII(verifier))). Send code_challenge_method=S256 with it. */
    public static String s256Challenge(String verifier) throws NoSuchAlgorithmException {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
    }

    /** Only for a server that still expects Zoom's old documented variant: base64 of the lowercase hex digest. */
    public static String zoomLegacyChallenge(String verifier) throws NoSuchAlgorithmException {
        StringBuilder hex = new StringBuilder();
        for (byte x : sha256(verifier)) hex.append(String.format("%02x", x));
        return Base64.getEncoder().encodeToString(hex.toString().getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] sha256(String s) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
    }

    public static void main(String[] args) throws NoSuchAlgorithmException {
        String v = args.length > 0 ? args[0] : newVerifier();
        System.out.printf("{\"code_verifier\":\"%s\",\"code_challenge\":\"%s\",\"code_challenge_method\":\"S256\",\"zoom_legacy_challenge\":\"%s\"}%n",
                v, s256Challenge(v), zoomLegacyChallenge(v));
    }
}
