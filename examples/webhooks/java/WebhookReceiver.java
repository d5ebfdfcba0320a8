import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A receiver of userhub's webhooks with the JDK alone: verifies the Standard Webhooks signature
 * (HMAC-SHA256 of id.timestamp.body under the endpoint's whsec_ secret, any of the space-separated
 * v1 signatures, a timestamp within 5 minutes), deduplicates on webhook-id, answers 204.
 *   WEBHOOK_SECRET=whsec_... java examples/webhooks/java/WebhookReceiver.java [port, default 8787]
 */
public final class WebhookReceiver {
    private static final long TOLERANCE_SECONDS = 300;

    public static void main(String[] args) throws Exception {
        String secret = System.getenv("WEBHOOK_SECRET");
        if (secret == null) {
            System.err.println("WEBHOOK_SECRET (the endpoint's whsec_ secret) is required");
            System.exit(2);
        }
        Set<String> seen = ConcurrentHashMap.newKeySet(); // keep these in your database in real use
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", args.length > 0 ? Integer.parseInt(args[0]) : 8787), 0);
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            var headers = exchange.getRequestHeaders();
            String id = headers.getFirst("webhook-id");
            boolean valid = verify(secret, id, headers.getFirst("webhook-timestamp"), headers.getFirst("webhook-signature"), body,
                    System.currentTimeMillis() / 1000);
            if (valid && seen.add(id)) {
                System.out.println(body);
            }
            exchange.sendResponseHeaders(valid ? 204 : 400, -1);
            exchange.close();
        });
        server.start();
    }

    /** Whether the headers prove the body was sent by userhub with this secret, recently. */
    public static boolean verify(String secret, String id, String timestamp, String signatures, String body, long nowSeconds) {
        if (secret == null || id == null || timestamp == null || signatures == null || !secret.startsWith("whsec_")) {
            return false;
        }
        try {
            if (Math.abs(nowSeconds - Long.parseLong(timestamp)) > TOLERANCE_SECONDS) {
                return false;
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            for (String signature : signatures.split(" ")) {
                if (signature.startsWith("v1,") && MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (IllegalArgumentException | java.security.GeneralSecurityException malformed) {
            return false;
        }
    }
}
