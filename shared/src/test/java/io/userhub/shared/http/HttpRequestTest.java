package io.userhub.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.validation.Rejection;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class HttpRequestTest {

    private static HttpRequest request(String contentType, String body, boolean base64) {
        return HttpRequest.from(APIGatewayV2HTTPEvent.builder()
                .withHeaders(contentType == null ? Map.of() : Map.of("Content-Type", contentType, "Authorization", "Bearer abc"))
                .withBody(body)
                .withIsBase64Encoded(base64)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("r-1")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withPath("/x").build()).build())
                .build());
    }

    private static Reason reason(HttpRequest request) {
        return catchThrowableOfType(Rejection.class, request::jsonBody).problem().reason();
    }

    @Test
    void jsonObjectBodyIsParsed() {
        assertThat(request("application/json; charset=utf-8", "{\"a\":1}", false).jsonBody().get("a").asInt()).isEqualTo(1);
    }

    @Test
    void base64BodiesAreDecoded() {
        String encoded = Base64.getEncoder().encodeToString("{\"a\":2}".getBytes(StandardCharsets.UTF_8));
        assertThat(request("application/json", encoded, true).jsonBody().get("a").asInt()).isEqualTo(2);
    }

    @Test
    void wrongContentTypeIs415() {
        assertThat(reason(request("text/plain", "{}", false))).isEqualTo(Reason.UNSUPPORTED_MEDIA_TYPE);
        assertThat(reason(request(null, "{}", false))).isEqualTo(Reason.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void malformedOrNonObjectJsonIs400() {
        for (String body : new String[]{"{", "[]", "\"s\"", "{} {}", "", "{\"a\":1,\"a\":2}", "{\"a\":NaN}"}) {
            assertThat(reason(request("application/json", body, false))).as(body).isEqualTo(Reason.MALFORMED_JSON);
        }
    }

    @Test
    void oversizedBodyIs413() {
        Problem problem = catchThrowableOfType(Rejection.class,
                () -> request("application/json", "{\"a\":\"" + "x".repeat(300_000) + "\"}", false).jsonBody()).problem();
        assertThat(problem.reason()).isEqualTo(Reason.BODY_TOO_LARGE);
        assertThat(problem.reason().httpStatus()).isEqualTo(413);
    }

    @Test
    void bearerCredentialIsReadCaseInsensitively() {
        assertThat(request("application/json", "{}", false).bearer()).contains("abc");
    }
}
