package io.userhub.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.devkit.SamTemplate;
import io.userhub.shared.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The local stream mapping applies the template's own filter criteria as Lambda would: new outbox events only. */
class LocalStreamMappingTest {
    private final JsonNode pattern = Json.parseObject(SamTemplate.locate().root()
            .at("/Resources/WebhookFanOutFunction/Properties/Events/NewEvents/Properties/FilterCriteria/Filters/0/Pattern").asText())
            .orElseThrow();

    private static JsonNode record(String eventName, String kind) {
        return Json.parseObject("{\"eventName\":\"" + eventName + "\",\"dynamodb\":{\"NewImage\":{\"kind\":{\"S\":\"" + kind + "\"},"
                + "\"pk\":{\"S\":\"APP#demo\"}}}}").orElseThrow();
    }

    @Test
    void onlyInsertsOfOutboxEventsPass() {
        assertThat(LocalStreamMapping.matches(pattern, record("INSERT", "event"))).isTrue();
        assertThat(LocalStreamMapping.matches(pattern, record("MODIFY", "event"))).isFalse();
        assertThat(LocalStreamMapping.matches(pattern, record("INSERT", "delivery"))).isFalse();
        assertThat(LocalStreamMapping.matches(pattern, record("INSERT", "endpoint"))).isFalse();
        assertThat(LocalStreamMapping.matches(pattern, Json.parseObject("{\"eventName\":\"REMOVE\",\"dynamodb\":{}}").orElseThrow())).isFalse();
    }
}
