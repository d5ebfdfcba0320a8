package io.userhub.functions.fallback;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

/**
 * The HTTP API's {@code $default} route: an unknown route answers in the spec's error shape
 * instead of API Gateway's bare {"message":"Not Found"}. Needs no AWS client.
 */
public final class NotFoundHandler extends ApiHandler {

    @Override
    protected String failureFamily() {
        return "REQUEST_INVALID";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        throw Problem.of(Reason.ROUTE_NOT_FOUND).reject();
    }
}
