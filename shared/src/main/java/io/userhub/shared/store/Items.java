package io.userhub.shared.store;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

/** Small named helpers for low-level DynamoDB attribute values. */
public final class Items {
    private Items() {}

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    public static AttributeValue bool(boolean value) {
        return AttributeValue.fromBool(value);
    }

    public static AttributeValue m(Map<String, AttributeValue> value) {
        return AttributeValue.fromM(value);
    }

    public static AttributeValue l(List<AttributeValue> value) {
        return AttributeValue.fromL(value);
    }

    public static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", s(pk), "sk", s(sk));
    }

    public static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", s(pk));
    }

    public static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item == null ? null : item.get(name);
        return v == null ? null : v.s();
    }

    public static Long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item == null ? null : item.get(name);
        return v == null || v.n() == null ? null : Long.parseLong(v.n());
    }

    public static boolean flag(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item == null ? null : item.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    /** An attribute value as plain Java: a String, a Long or a Boolean. */
    public static Object plain(AttributeValue value) {
        return value.s() != null ? value.s() : value.n() != null ? (Object) Long.parseLong(value.n()) : value.bool();
    }

    public static Map<String, Object> plain(Map<String, AttributeValue> values) {
        Map<String, Object> plain = new java.util.LinkedHashMap<>();
        values.forEach((k, v) -> plain.put(k, plain(v)));
        return plain;
    }

    /** The attribute value of a plain String, Long (or other integer) or Boolean. */
    public static AttributeValue fromPlain(Object value) {
        if (value instanceof Boolean flag) {
            return bool(flag);
        }
        return value instanceof Number number ? n(number.longValue()) : s(String.valueOf(value));
    }

    public static Map<String, AttributeValue> fromPlain(Map<String, ?> values) {
        Map<String, AttributeValue> converted = new java.util.LinkedHashMap<>();
        values.forEach((k, v) -> converted.put(k, fromPlain(v)));
        return converted;
    }

    public static Map<String, AttributeValue> map(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item == null ? null : item.get(name);
        return v == null || !v.hasM() ? Map.of() : v.m();
    }
}
