package io.userhub.benchmarks;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.json.Json;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The edge of every route: an API Gateway event turned into a checked request (content type,
 * size cap, JSON with nesting and duplicate-key checks), beside a plain Jackson readTree of the
 * same body as the reference in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestParsingBenchmarks {
    private APIGatewayV2HTTPEvent event;
    private String body;

    @Setup
    public void event() {
        body = "{\"identity_token\":\"eyJhbGciOiJIUzI1NiJ9.eyJpZGVudGl0aWVzIjpbXSwiaWF0IjoxfQ.c2lnbmF0dXJl\","
                + "\"device_id\":\"phone-1\",\"config\":{\"full_privacy_enabled\":false},"
                + "\"expected\":{\"user_id\":\"user-42\",\"user_email\":\"ada@example.com\"}}";
        event = APIGatewayV2HTTPEvent.builder()
                .withRouteKey("POST /v1/apps/{appId}/login")
                .withRawPath("/v1/apps/demo/login")
                .withHeaders(Map.of("content-type", "application/json"))
                .withPathParameters(Map.of("appId", "demo"))
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withPath("/v1/apps/demo/login").build())
                        .withRequestId("bench").build())
                .build();
    }

    @Benchmark
    public JsonNode userhubParsesALoginRequest() {
        return HttpRequest.from(event).jsonBody();
    }

    @Benchmark
    public JsonNode referenceJacksonReadsTheSameBody() throws Exception {
        return Json.MAPPER.readTree(body);
    }
}
