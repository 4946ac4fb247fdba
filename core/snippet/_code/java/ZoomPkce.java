// PKCE for Zoom OAuth: a code verifier and its S256 challenge (RFC 7636).
// Needs: Java 11 or later, the JDK alone.
// Run:   java ZoomPkce.java [VERIFIER]
// Prints one JSON object; a VERIFIER that breaks RFC 7636 section 4.1 gets one line on stderr and exit 2.
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

public class ZoomPkce {
    static final String VERIFIER_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    /** Throws IllegalArgumentException unless verifier is 43-128 unreserved characters (RFC 7636 section 4.1). */
    public static void checkVerifier(String verifier) {
        int n = verifier == null ? 0 : verifier.length();
        if (n < 43 || n > 128) {
            throw new IllegalArgumentException("verifier is " + n + " characters; RFC 7636 section 4.1 wants 43 to 128");
        }
        for (int i = 0; i < n; i++) {
            char c = verifier.charAt(i);
            if (VERIFIER_CHARS.indexOf(c) < 0) {
                throw new IllegalArgumentException(String.format(
                        "verifier: character U+%04X at offset %d is not one of A-Z a-z 0-9 - . _ ~ (RFC 7636 section 4.1)", (int) c, i));
            }
        }
    }

    /** 43 characters from a CSPRNG: 32 random bytes, base64url without padding. */
    public static String newVerifier() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** RFC 7636 S256: BASE64URL-NOPAD(SHA-256(ASCII(verifier))). Send code_challenge_method=S256 with it. */
    public static String s256Challenge(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
    }

    /** Only for a server that still expects Zoom's old documented variant: base64 of the lowercase hex digest. */
    public static String zoomLegacyChallenge(String verifier) {
        StringBuilder hex = new StringBuilder();
        for (byte x : sha256(verifier)) hex.append(String.format("%02x", x));
        return Base64.getEncoder().encodeToString(hex.toString().getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] sha256(String verifier) {
        checkVerifier(verifier);
        try {
            return MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256", e); // every Java has it
        }
    }

    public static void main(String[] args) {
        String v = args.length > 0 ? args[0] : newVerifier();
        try {
            checkVerifier(v);
        } catch (IllegalArgumentException e) {
            System.err.println("refused: " + e.getMessage());
            System.exit(2);
        }
        // Every value is checked or computed to hold only base64 and unreserved characters: no escaping needed.
        System.out.println("{\"code_verifier\":\"" + v + "\",\"code_challenge\":\"" + s256Challenge(v)
                + "\",\"code_challenge_method\":\"S256\",\"zoom_legacy_challenge\":\"" + zoomLegacyChallenge(v) + "\"}");
    }
}
