package io.userhub.functions.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.IdentityRules;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.validation.Rejection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a dry run's body into the proposed rules and the samples: shapes and types; the rules' own checks are the use case's. */
final class RulesDryRunRequests {
    private RulesDryRunRequests() {}

    record Parsed(RulesDryRunUseCase.ProposedRules rules, List<RulesDryRunUseCase.Sample> samples) {}

    static Parsed parse(ObjectNode body, long now) {
        return new Parsed(rules(body.get("rules")), samples(body.get("samples"), now));
    }

    private static RulesDryRunUseCase.ProposedRules rules(JsonNode rules) {
        if (rules == null || rules.isNull()) {
            return RulesDryRunUseCase.ProposedRules.NONE;
        }
        if (!rules.isObject()) {
            throw Problem.field("rules", ErrorCode.INVALID_VALUE_TYPE).reject();
        }
        Map<String, String> errors = new LinkedHashMap<>();
        Optional<List<String>> sticky = strings(rules, "sticky", errors);
        Optional<List<String>> priority = strings(rules, "priority", errors);
        Optional<List<String>> blocked = strings(rules, "blocked_values", errors);
        Optional<Map<String, Integer>> limits = Optional.empty();
        JsonNode limitsNode = rules.get("identifier_limits");
        if (limitsNode != null && !limitsNode.isObject()) {
            errors.put("rules.identifier_limits", ErrorCode.INVALID_VALUE_TYPE.name());
        } else if (limitsNode != null) {
            Map<String, Integer> parsed = new LinkedHashMap<>();
            limitsNode.fields().forEachRemaining(e -> {
                if (e.getValue().isInt()) {
                    parsed.put(e.getKey(), e.getValue().asInt());
                } else {
                    errors.put("rules.identifier_limits." + e.getKey(), ErrorCode.INVALID_VALUE_TYPE.name());
                }
            });
            limits = Optional.of(parsed);
        }
        if (!errors.isEmpty()) {
            throw Problem.withErrors(Reason.FIELD_INVALID, errors).reject();
        }
        return new RulesDryRunUseCase.ProposedRules(sticky.map(LinkedHashSet::new), limits, priority, blocked);
    }

    private static Optional<List<String>> strings(JsonNode rules, String field, Map<String, String> errors) {
        JsonNode node = rules.get(field);
        if (node == null) {
            return Optional.empty();
        }
        List<String> values = new ArrayList<>();
        if (!node.isArray() || node.size() > 100) {
            errors.put("rules." + field, ErrorCode.INVALID_VALUE_TYPE.name());
            return Optional.empty();
        }
        node.forEach(v -> {
            if (v.isTextual() && !v.asText().isEmpty() && v.asText().length() <= 750) {
                values.add(v.asText());
            } else {
                errors.put("rules." + field, ErrorCode.INVALID_VALUE.name());
            }
        });
        return Optional.of(values);
    }

    /**
     * 1 to 100 samples, each an object with {@code identities} (read by the identity rules; a
     * sample they refuse is reported as refused, not a 400), {@code asserted_at} defaulting to now
     * and {@code signed} to true.
     */
    private static List<RulesDryRunUseCase.Sample> samples(JsonNode samples, long now) {
        if (samples == null || samples.isNull()) {
            throw Problem.field("samples", ErrorCode.MISSING).reject();
        }
        if (!samples.isArray() || samples.isEmpty() || samples.size() > RulesDryRunUseCase.MAX_SAMPLES) {
            throw Problem.field("samples", ErrorCode.INVALID_VALUE).reject();
        }
        List<RulesDryRunUseCase.Sample> parsed = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            JsonNode sample = samples.get(i);
            JsonNode at = sample.get("asserted_at");
            JsonNode signed = sample.get("signed");
            if (!sample.isObject() || (at != null && !at.canConvertToLong()) || (signed != null && !signed.isBoolean())) {
                throw Problem.field("samples[" + i + "]", ErrorCode.INVALID_VALUE).reject();
            }
            long assertedAt = at == null ? now : at.asLong();
            boolean isSigned = signed == null || signed.asBoolean();
            try {
                parsed.add(new RulesDryRunUseCase.Sample(IdentityRules.readIdentities(sample, List.of()), null, assertedAt, isSigned));
            } catch (Rejection refused) {
                parsed.add(new RulesDryRunUseCase.Sample(List.of(), refused.problem(), assertedAt, isSigned));
            }
        }
        return parsed;
    }
}
