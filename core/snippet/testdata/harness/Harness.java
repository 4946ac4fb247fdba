// The Java app-context program's test harness (core/snippet's tests): one case a line on stdin,
// "hex header or -<TAB>client ID or -<TAB>now ms"; prints "verdict<TAB>reason<TAB>payload JSON or
// message", or "crash<TAB>what" when anything but AppContextException escapes.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class Harness {
    public static void main(String[] args) throws Exception {
        String secret = System.getenv("ZOOM_CLIENT_SECRET");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, false, "UTF-8");
        for (String line; (line = in.readLine()) != null; ) {
            String[] f = line.split("\t", -1);
            String header = null; // getFirst and getHeader answer null for an absent header
            if (!f[0].equals("-")) {
                StringBuilder b = new StringBuilder(); // header bytes as ISO-8859-1 characters, as HttpServer holds them
                for (int i = 0; i < f[0].length(); i += 2) b.append((char) Integer.parseInt(f[0].substring(i, i + 2), 16));
                header = b.toString();
            }
            String r;
            try {
                r = "ok\t\t" + ZoomAppContext.StrictJson.write(
                        ZoomAppContext.decrypt(header, secret, f[1].equals("-") ? null : f[1], Long.parseLong(f[2])));
            } catch (ZoomAppContext.AppContextException e) {
                r = e.verdict + "\t" + e.reason + "\t" + e.getMessage();
            } catch (Throwable e) {
                r = "crash\t" + e;
            }
            out.println(r.replace('\n', ' '));
        }
        out.flush();
    }
}
