package io.userhub.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.userhub.devkit.SamTemplate;
import io.userhub.shared.config.Wiring;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP API as template.yaml declares it: each HttpApi event of each function becomes a
 * route to an instance of the very handler class the template names. A function whose event
 * has no path is the {@code $default} route, as on API Gateway.
 */
final class RouteTable {

    record Route(String method, String template, Pattern pattern, List<String> parameters, String functionId,
                 RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, int timeoutSeconds) {
        String routeKey() {
            return method + " " + template;
        }
    }

    record Match(Route route, Map<String, String> pathParameters) {}

    private final List<Route> routes = new ArrayList<>();
    private Route defaultRoute;

    static RouteTable fromTemplate(SamTemplate template, Wiring wiring) {
        return fromTemplate(template, wiring, null);
    }

    /** @param webhooks the local webhook engine, for handlers that queue deliveries (resend, replay) */
    static RouteTable fromTemplate(SamTemplate template, Wiring wiring, io.userhub.shared.port.DeliveryQueue webhooks) {
        RouteTable table = new RouteTable();
        for (SamTemplate.Function function : template.functions()) {
            if (function.routes().isEmpty()) {
                continue;
            }
            var handler = instantiate(function.handlerClass(), wiring, webhooks);
            for (SamTemplate.Route route : function.routes()) {
                if (route.path().isEmpty()) {
                    table.defaultRoute = new Route("ANY", "$default", null, List.of(), function.logicalId(), handler,
                            function.timeoutSeconds());
                } else {
                    table.routes.add(compile(route, function.logicalId(), handler, function.timeoutSeconds()));
                }
            }
        }
        return table;
    }

    Optional<Match> match(String method, String path) {
        for (Route route : routes) {
            Matcher matcher = route.pattern().matcher(path);
            if (matcher.matches() && (route.method().equals(method) || route.method().equals("ANY"))) {
                Map<String, String> parameters = new LinkedHashMap<>();
                for (int i = 0; i < route.parameters().size(); i++) {
                    parameters.put(route.parameters().get(i), matcher.group(i + 1));
                }
                return Optional.of(new Match(route, parameters));
            }
        }
        return Optional.ofNullable(defaultRoute).map(route -> new Match(route, Map.of()));
    }

    private static Route compile(SamTemplate.Route route, String functionId,
                                 RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, int timeoutSeconds) {
        List<String> parameters = new ArrayList<>();
        StringBuilder regex = new StringBuilder();
        Matcher m = Pattern.compile("\\{([^}]+)}").matcher(route.path());
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(route.path().substring(last, m.start()))).append("([^/]+)");
            parameters.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(route.path().substring(last)));
        return new Route(route.method(), route.path(), Pattern.compile(regex.toString()), parameters, functionId, handler, timeoutSeconds);
    }

    /** The template's handler class, given the local wiring when it takes one (handlers that touch no AWS service don't). */
    @SuppressWarnings("unchecked")
    private static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> instantiate(String className, Wiring wiring,
                                                                                             io.userhub.shared.port.DeliveryQueue webhooks) {
        try {
            Class<?> type = Class.forName(className);
            for (Constructor<?> constructor : type.getConstructors()) {
                Class<?>[] parameters = constructor.getParameterTypes();
                if (webhooks != null && parameters.length == 3 && parameters[0] == Wiring.class
                        && parameters[1] == io.userhub.shared.port.DeliveryQueue.class && parameters[2] == boolean.class) {
                    return (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) constructor.newInstance(wiring, webhooks, true);
                }
            }
            for (Constructor<?> constructor : type.getConstructors()) {
                if (constructor.getParameterCount() == 1 && constructor.getParameterTypes()[0] == Wiring.class) {
                    return (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) constructor.newInstance(wiring);
                }
            }
            return (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("template.yaml names handler " + className + ", which cannot be instantiated", e);
        }
    }
}
