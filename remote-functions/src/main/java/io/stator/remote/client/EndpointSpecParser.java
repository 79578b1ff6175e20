package io.stator.remote.client;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the {@code spec:} map of a StateFun HTTP endpoint document (snakeyaml's output) into a
 * {@link RemoteEndpointSpec}, checking every field: an unknown, missing or ill-typed field fails with a message
 * that starts with its path, e.g. {@code spec.maxNumBatchRequests: expected a positive integer, got 'lots'}.
 *
 * <p>Accepted fields (as StateFun defines them):
 * <pre>
 * spec:
 *   functions: example/* | example/greeter        required
 *   urlPathTemplate: http://host:8000/{function.name}   required
 *   maxNumBatchRequests: 1000                    optional
 *   transport:                                   v2 only, optional
 *     type: io.statefun.transports.v1/okhttp | io.statefun.transports.v1/async
 *     timeouts: {call: 1min, connect: 10s, read: 10s, write: 10s}
 *     call: 2min, connect: 20s, pool_ttl: 15s, pool_size: 1024, payload_max_bytes: 33554432   (async style)
 *   timeouts: {call, connect, read, write}       v1 only
 * </pre>
 * TLS client settings ({@code trust_cacerts}, {@code client_cert}, ...) are rejected as not supported yet.
 */
final class EndpointSpecParser {
    private static final Set<String> V2_FIELDS = Set.of("functions", "urlPathTemplate", "maxNumBatchRequests", "transport");
    private static final Set<String> V1_FIELDS = Set.of("functions", "urlPathTemplate", "maxNumBatchRequests", "timeouts");
    private static final Set<String> OKHTTP_FIELDS = Set.of("type", "timeouts");
    private static final Set<String> ASYNC_FIELDS = Set.of("type", "timeouts", "call", "connect", "pool_ttl", "pool_size",
            "payload_max_bytes");
    private static final Set<String> TLS_FIELDS = Set.of("trust_cacerts", "client_cert", "client_key", "client_key_password");
    private static final Set<String> TIMEOUT_FIELDS = Set.of("call", "connect", "read", "write");

    private EndpointSpecParser() {
    }

    static RemoteEndpointSpec parse(String kind, Map<String, ?> spec) {
        boolean v1;
        if (RemoteEndpointSpec.KIND_V2.equals(kind)) {
            v1 = false;
        } else if (RemoteEndpointSpec.KIND_V1.equals(kind)) {
            v1 = true;
        } else {
            throw new IllegalArgumentException("kind: '" + kind + "' is not an HTTP endpoint kind; expected "
                    + RemoteEndpointSpec.KIND_V2 + " or " + RemoteEndpointSpec.KIND_V1);
        }
        if (spec == null) {
            throw new IllegalArgumentException("spec: missing; an HTTP endpoint needs functions and urlPathTemplate");
        }
        Map<String, ?> fields = map(spec, "spec");
        rejectUnknown(fields, "spec", v1 ? V1_FIELDS : V2_FIELDS);
        String functions = requiredString(fields, "functions", "spec.functions", "<namespace>/<name> or <namespace>/*");
        String url = requiredString(fields, "urlPathTemplate", "spec.urlPathTemplate", "an http or https URL");
        RemoteEndpointSpec.Builder builder = builder(functions, url);
        if (fields.get("maxNumBatchRequests") != null) {
            builder.withMaxNumBatchRequests(positiveInt(fields.get("maxNumBatchRequests"), "spec.maxNumBatchRequests"));
        }
        if (v1) {
            builder.withTransport(RemoteEndpointSpec.Transport.OKHTTP);
            if (fields.get("timeouts") != null) {
                timeouts(builder, map(fields.get("timeouts"), "spec.timeouts"), "spec.timeouts");
            }
        } else if (fields.get("transport") != null) {
            transport(builder, map(fields.get("transport"), "spec.transport"));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((v1 ? "spec.timeouts: " : "spec.transport: ") + e.getMessage(), e);
        }
    }

    private static RemoteEndpointSpec.Builder builder(String functions, String url) {
        try {
            RemoteEndpointSpec.builder(functions, "http://placeholder/");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("spec.functions: " + e.getMessage(), e);
        }
        try {
            return RemoteEndpointSpec.builder(functions, url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("spec.urlPathTemplate: " + e.getMessage(), e);
        }
    }

    private static void transport(RemoteEndpointSpec.Builder builder, Map<String, ?> transport) {
        RemoteEndpointSpec.Transport type = null;
        if (transport.get("type") != null) {
            String typeName = string(transport.get("type"), "spec.transport.type");
            for (RemoteEndpointSpec.Transport t : RemoteEndpointSpec.Transport.values()) {
                if (t.typeName().equals(typeName)) {
                    type = t;
                }
            }
            if (type == null) {
                throw new IllegalArgumentException("spec.transport.type: unknown transport '" + typeName + "'; expected "
                        + RemoteEndpointSpec.Transport.OKHTTP.typeName() + " or " + RemoteEndpointSpec.Transport.ASYNC.typeName());
            }
        }
        for (String key : transport.keySet()) {
            if (TLS_FIELDS.contains(key)) {
                throw new IllegalArgumentException("spec.transport." + key
                        + ": TLS client settings are not supported by Stator yet");
            }
        }
        rejectUnknown(transport, "spec.transport", type == RemoteEndpointSpec.Transport.OKHTTP ? OKHTTP_FIELDS : ASYNC_FIELDS);
        builder.withTransport(type == null ? RemoteEndpointSpec.Transport.ASYNC : type);
        asyncStyleFields(builder, transport);
        if (transport.get("timeouts") != null) {
            timeouts(builder, map(transport.get("timeouts"), "spec.transport.timeouts"), "spec.transport.timeouts");
        }
    }

    /** The async transport's flat fields; a {@code timeouts} block, read afterwards, wins as in StateFun. */
    private static void asyncStyleFields(RemoteEndpointSpec.Builder builder, Map<String, ?> transport) {
        if (transport.get("call") != null) {
            builder.withCallTimeout(positiveDuration(transport.get("call"), "spec.transport.call"));
        }
        if (transport.get("connect") != null) {
            builder.withConnectTimeout(positiveDuration(transport.get("connect"), "spec.transport.connect"));
        }
        if (transport.get("pool_ttl") != null) {
            builder.withPoolTtl(duration(transport.get("pool_ttl"), "spec.transport.pool_ttl"));
        }
        if (transport.get("pool_size") != null) {
            builder.withPoolSize(positiveInt(transport.get("pool_size"), "spec.transport.pool_size"));
        }
        if (transport.get("payload_max_bytes") != null) {
            builder.withPayloadMaxBytes(positiveInt(transport.get("payload_max_bytes"), "spec.transport.payload_max_bytes"));
        }
    }

    private static void timeouts(RemoteEndpointSpec.Builder builder, Map<String, ?> timeouts, String path) {
        rejectUnknown(timeouts, path, TIMEOUT_FIELDS);
        if (timeouts.get("call") != null) {
            builder.withCallTimeout(positiveDuration(timeouts.get("call"), path + ".call"));
        }
        if (timeouts.get("connect") != null) {
            builder.withConnectTimeout(positiveDuration(timeouts.get("connect"), path + ".connect"));
        }
        if (timeouts.get("read") != null) {
            builder.withReadTimeout(positiveDuration(timeouts.get("read"), path + ".read"));
        }
        if (timeouts.get("write") != null) {
            builder.withWriteTimeout(positiveDuration(timeouts.get("write"), path + ".write"));
        }
    }

    private static Map<String, ?> map(Object value, String path) {
        if (!(value instanceof Map<?, ?> raw)) {
            throw new IllegalArgumentException(path + ": expected a map of fields, got '" + value + "'");
        }
        for (Object key : raw.keySet()) {
            if (!(key instanceof String)) {
                throw new IllegalArgumentException(path + ": field names must be strings, got '" + key + "'");
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> fields = (Map<String, ?>) raw;
        return fields;
    }

    private static void rejectUnknown(Map<String, ?> fields, String path, Set<String> known) {
        for (String key : fields.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(path + "." + key + ": unknown field; known fields: " + new TreeSet<>(known));
            }
        }
    }

    private static String requiredString(Map<String, ?> fields, String key, String path, String expected) {
        Object value = fields.get(key);
        if (value == null) {
            throw new IllegalArgumentException(path + ": missing; expected " + expected);
        }
        return string(value, path);
    }

    private static String string(Object value, String path) {
        if (!(value instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(path + ": expected a non-empty string, got '" + value + "'");
        }
        return s;
    }

    private static int positiveInt(Object value, String path) {
        long n = integral(value);
        if (n <= 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(path + ": expected a positive integer, got '" + value + "'");
        }
        return (int) n;
    }

    /** @return the value as a long, or -1 when it is not a whole number (callers reject non-positive values) */
    private static long integral(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 63 ? big.longValue() : -1;
        }
        if (value instanceof String s && s.matches("\\d{1,18}")) {
            return Long.parseLong(s);
        }
        return -1;
    }

    private static Duration positiveDuration(Object value, String path) {
        Duration d = duration(value, path);
        if (d.isZero()) {
            throw new IllegalArgumentException(path + ": timeout durations must be larger than 0, got '" + value + "'");
        }
        return d;
    }

    private static Duration duration(Object value, String path) {
        long millis = integral(value);
        if (!(value instanceof String) && millis >= 0) {
            return Duration.ofMillis(millis); // a bare YAML number is milliseconds, as in Flink
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException(path + ": expected a duration such as 10s, 2min or 500ms, got '" + value + "'");
        }
        try {
            return StatefunDurations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": expected a duration such as 10s, 2min or 500ms, got '" + value + "'", e);
        }
    }
}
