package io.userhub.shared.store;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one per-key UpdateItem expression: each attribute or map entry gets its own SET/REMOVE/ADD
 * clause, so concurrent writers of different keys never overwrite each other (no read-modify-write).
 */
public final class ExpressionBuilder {
    private final List<String> sets = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();
    private final List<String> adds = new ArrayList<>();
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();
    private int counter;

    /** A placeholder for an attribute name (or map key). */
    public String name(String attribute) {
        String placeholder = "#n" + counter++;
        names.put(placeholder, attribute);
        return placeholder;
    }

    public String value(AttributeValue value) {
        String placeholder = ":v" + counter++;
        values.put(placeholder, value);
        return placeholder;
    }

    /** A document path such as {@code identities.<key>}, each segment as a name placeholder. */
    public String path(String... segments) {
        List<String> parts = new ArrayList<>();
        for (String segment : segments) {
            parts.add(name(segment));
        }
        return String.join(".", parts);
    }

    public ExpressionBuilder set(String path, AttributeValue value) {
        sets.add(path + " = " + value(value));
        return this;
    }

    public ExpressionBuilder setIfAbsent(String path, AttributeValue value) {
        sets.add(path + " = if_not_exists(" + path + ", " + value(value) + ")");
        return this;
    }

    public ExpressionBuilder append(String path, List<AttributeValue> entries) {
        String empty = value(AttributeValue.fromL(List.of()));
        sets.add(path + " = list_append(if_not_exists(" + path + ", " + empty + "), " + value(AttributeValue.fromL(entries)) + ")");
        return this;
    }

    public ExpressionBuilder remove(String path) {
        removes.add(path);
        return this;
    }

    public ExpressionBuilder add(String path, AttributeValue value) {
        adds.add(path + " " + value(value));
        return this;
    }

    public ExpressionBuilder condition(String condition) {
        conditions.add(condition);
        return this;
    }

    public String updateExpression() {
        List<String> clauses = new ArrayList<>();
        if (!sets.isEmpty()) clauses.add("SET " + String.join(", ", sets));
        if (!removes.isEmpty()) clauses.add("REMOVE " + String.join(", ", removes));
        if (!adds.isEmpty()) clauses.add("ADD " + String.join(", ", adds));
        return String.join(" ", clauses);
    }

    public String conditionExpression() {
        return conditions.isEmpty() ? null : String.join(" AND ", conditions);
    }

    public Map<String, String> names() {
        return names;
    }

    public Map<String, AttributeValue> values() {
        return values;
    }

    public Update toUpdate(String table, Map<String, AttributeValue> key) {
        Update.Builder builder = Update.builder().tableName(table).key(key)
                .updateExpression(updateExpression())
                .expressionAttributeNames(names);
        if (!values.isEmpty()) builder.expressionAttributeValues(values);
        if (conditionExpression() != null) builder.conditionExpression(conditionExpression());
        return builder.build();
    }
}
