// The com.sun.net.httpserver server core/snippet's TestFrameworks runs: the handler body is the
// one the Java program's header shows, pasted where EXAMPLE stands.
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

public class Server {
    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/app", exchange -> {
            // EXAMPLE
            exchange.close();
        });
        server.start();
        System.out.println(server.getAddress().getPort());
    }
}
