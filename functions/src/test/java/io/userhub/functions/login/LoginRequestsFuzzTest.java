package io.userhub.functions.login;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.validation.Rejection;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login request parser: any body (and Authorization header) is a login command of one mode or
 * a {@link Rejection}, never another exception. Corpus: LoginRequestsFuzzTestInputs/.
 */
class LoginRequestsFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyLoginRequestIsACommandOrRefused(FuzzedDataProvider data) {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/json");
        if (data.consumeBoolean()) {
            headers.put("authorization", data.consumeString(300));
        }
        byte[] body = data.consumeRemainingAsBytes();
        HttpRequest request = new HttpRequest("POST", "/v1/apps/demo/login", headers, Map.of("appId", "demo"), Map.of(), body, "r");
        try {
            LoginCommand command = LoginRequests.parse(request);
            assertThat(command.appId()).isEqualTo("demo");
            assertThat(command.deviceId()).isNotBlank();
            assertThat(command.mode()).isNotNull();
        } catch (Rejection refused) {
            assertThat(refused.problem().reason().httpStatus()).isBetween(400, 499);
        }
    }
}
