// PKCE for Zoom OAuth: a code verifier and its S256 challenge (RFC 7636).
// Needs: Mono 6.8 or later (Debian's mono-mcs and mono-runtime), System.Security.Cryptography only. It
// uses no API newer than .NET Framework 4.6, but zoomdbg runs it on Mono only: .NET does not install here.
// Run:   mcs ZoomPkce.cs && mono ZoomPkce.exe [VERIFIER]
// Prints one JSON object; a VERIFIER that breaks RFC 7636 section 4.1 gets one line on stderr and exit 2.
using System;
using System.Security.Cryptography;
using System.Text;

public static class ZoomPkce
{
    const string VerifierChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    /// <summary>Throws ArgumentException unless verifier is 43-128 unreserved characters (RFC 7636 section 4.1).</summary>
    public static void CheckVerifier(string verifier)
    {
        int n = verifier == null ? 0 : verifier.Length;
        if (n < 43 || n > 128)
            throw new ArgumentException("verifier is " + n + " characters; RFC 7636 section 4.1 wants 43 to 128");
        for (int i = 0; i < n; i++)
        {
            if (VerifierChars.IndexOf(verifier[i]) < 0)
                throw new ArgumentException(string.Format(
                    "verifier: character U+{0:X4} at offset {1} is not one of A-Z a-z 0-9 - . _ ~ (RFC 7636 section 4.1)", (int)verifier[i], i));
        }
    }

    static string Base64Url(byte[] b)
    {
        return Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>43 characters from a CSPRNG: 32 random bytes, base64url without padding.</summary>
    public static string NewVerifier()
    {
        var b = new byte[32];
        using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(b);
        return Base64Url(b);
    }

    static byte[] Sha256(string verifier)
    {
        CheckVerifier(verifier);
        using (var sha = SHA256.Create()) return sha.ComputeHash(Encoding.ASCII.GetBytes(verifier));
    }

    /// <summary>RFC 7636 S256: BASE64URL-NOPAD(SHA-256(ASCII(verifier))). Send code_challenge_method=S256 with it.</summary>
    public static string S256Challenge(string verifier)
    {
        return Base64Url(Sha256(verifier));
    }

    /// <summary>Only for a server that still expects Zoom's old documented variant: base64 of the lowercase hex digest.</summary>
    public static string ZoomLegacyChallenge(string verifier)
    {
        var hex = new StringBuilder();
        foreach (byte x in Sha256(verifier)) hex.Append(x.ToString("x2"));
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(hex.ToString()));
    }

    public static int Main(string[] args)
    {
        string v = args.Length > 0 ? args[0] : NewVerifier();
        try
        {
            CheckVerifier(v);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("refused: " + e.Message);
            return 2;
        }
        // Every value is checked or computed to hold only base64 and unreserved characters: no escaping needed.
        Console.WriteLine("{\"code_verifier\":\"" + v + "\",\"code_challenge\":\"" + S256Challenge(v)
            + "\",\"code_challenge_method\":\"S256\",\"zoom_legacy_challenge\":\"" + ZoomLegacyChallenge(v) + "\"}");
        return 0;
    }
}
