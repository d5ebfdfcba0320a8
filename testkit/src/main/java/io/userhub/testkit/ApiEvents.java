package io.userhub.testkit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Builds API Gateway payload-2.0 events as the HTTP API would deliver them. */
public final class ApiEvents {
    private final String method;
    private final String routeKey;
    private final String path;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String> pathParameters = new LinkedHashMap<>();
    private final Map<String, String> query = new LinkedHashMap<>();
    private String body;
    private String sourceIp = "127.0.0.1";

    public ApiEvents(String method, String routeKey, String path) {
        this.method = method;
        this.routeKey = routeKey;
        this.path = path;
    }

    public static ApiEvents post(String routeTemplate, String path) {
        return new ApiEvents("POST", "POST " + routeTemplate, path).header("content-type", "application/json");
    }

    public static ApiEvents get(String routeTemplate, String path) {
        return new ApiEvents("GET", "GET " + routeTemplate, path);
    }

    public static ApiEvents login(String appId) {
        return post("/v1/apps/{appId}/login", "/v1/apps/" + appId + "/login").pathParameter("appId", appId);
    }

    public static ApiEvents mint(String appId) {
        return post("/v1/apps/{appId}/tokens", "/v1/apps/" + appId + "/tokens").pathParameter("appId", appId);
    }

    public ApiEvents header(String name, String value) {
        if (value == null) {
            headers.remove(name);
        } else {
            headers.put(name, value);
        }
        return this;
    }

    public ApiEvents bearer(String credential) {
        return header("authorization", "Bearer " + credential);
    }

    public ApiEvents pathParameter(String name, String value) {
        pathParameters.put(name, value);
        return this;
    }

    public ApiEvents query(String name, String value) {
        query.put(name, value);
        return this;
    }

    /** The caller's address as API Gateway reports it (requestContext.http.sourceIp); 127.0.0.1 unless set. */
    public ApiEvents sourceIp(String address) {
        this.sourceIp = address;
        return this;
    }

    public ApiEvents body(String json) {
        this.body = json;
        return this;
    }

    public APIGatewayV2HTTPEvent build() {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(new LinkedHashMap<>(headers))
                .withPathParameters(pathParameters.isEmpty() ? null : new LinkedHashMap<>(pathParameters))
                .withQueryStringParameters(query.isEmpty() ? null : new LinkedHashMap<>(query))
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId(UUID.randomUUID().toString())
                        .withRouteKey(routeKey)
                        .withStage("$default")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method).withPath(path).withProtocol("HTTP/1.1").withSourceIp(sourceIp).build())
                        .build())
                .build();
    }
}
