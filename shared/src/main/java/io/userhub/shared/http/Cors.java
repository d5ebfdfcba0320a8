package io.userhub.shared.http;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which web pages may call a browser-facing route: the app's own allowed origins when it lists
 * any (a widget's token then works from those sites only), else the stack's ({@code CorsAllowOrigins},
 * {@code *} by default). The functions answer CORS themselves, per app, so the HTTP API has no
 * CORS configuration of its own (API Gateway would drop the functions' headers otherwise).
 */
public final class Cors {
    private Cors() {}

    /** An origin as browsers send it: scheme, host and optional port, nothing else. */
    private static final Pattern ORIGIN = Pattern.compile("https?://[a-z0-9.-]+(:[0-9]{1,5})?");

    public static final String ALLOW_METHODS = "GET,POST,DELETE,OPTIONS";
    public static final String ALLOW_HEADERS = "authorization,content-type";
    public static final String MAX_AGE_SECONDS = "600";

    /** A comma-separated list of origins (or {@code *}), normalised; malformed entries are refused by the operator. */
    public static Set<String> origins(String csv) {
        Set<String> origins = new LinkedHashSet<>();
        Arrays.stream(csv.split(",")).map(o -> o.trim().toLowerCase(Locale.ROOT)).filter(o -> !o.isEmpty()).forEach(origins::add);
        return Set.copyOf(origins);
    }

    public static boolean isOrigin(String value) {
        return ORIGIN.matcher(value).matches();
    }

    /**
     * The {@code Access-Control-Allow-Origin} a response to this origin carries, or empty when the
     * origin may not call the route.
     *
     * @param appOrigins the app's allowed origins (empty: the app lists none, or it is not known)
     */
    public static Optional<String> allowOrigin(String origin, Set<String> appOrigins, Set<String> stackOrigins) {
        String normalised = origin.trim().toLowerCase(Locale.ROOT);
        if (!appOrigins.isEmpty()) {
            return appOrigins.contains(normalised) ? Optional.of(origin) : Optional.empty();
        }
        if (stackOrigins.contains("*")) {
            return Optional.of("*");
        }
        return stackOrigins.contains(normalised) ? Optional.of(origin) : Optional.empty();
    }
}
