import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What your backend does for each signed-in user: sign an identities JWT for userhub with the
 * app's key (kid and secret from the operator tool, or from ./run-local's JSON line), and hand
 * it to your app or web widget, which logs in with it.
 *
 * Run: java -cp java-jwt.jar:jackson-*.jar SignIdentityToken.java <kid> <secret> <uid> [email]
 */
public final class SignIdentityToken {
    private SignIdentityToken() {}

    public static String sign(String kid, String secret, String uid, String email) {
        List<Map<String, String>> identities = email == null
                ? List.of(Map.of("identifier", "uid", "value", uid))
                : List.of(Map.of("identifier", "uid", "value", uid), Map.of("identifier", "email", "value", email));
        return JWT.create()
                .withKeyId(kid)                                  // userhub uses kid only as an exact key of the app's ring
                .withIssuedAt(Instant.now())                     // iat is mandatory; tokens older than 24 h are refused
                .withClaim("identities", identities)
                .sign(Algorithm.HMAC256(secret));
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: SignIdentityToken <kid> <secret> <uid> [email]");
            System.exit(2);
        }
        System.out.println(sign(args[0], args[1], args[2], args.length > 3 ? args[3] : null));
    }
}
