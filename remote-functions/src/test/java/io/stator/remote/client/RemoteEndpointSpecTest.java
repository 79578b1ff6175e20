package io.stator.remote.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.sdk.TypeName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Endpoint documents as StateFun users write them, parsed from YAML text into the map the runtime passes on. */
class RemoteEndpointSpecTest {
    private static final String MODULE_YAML = """
            kind: io.statefun.endpoints.v2/http
            spec:
              functions: com.example/*
              urlPathTemplate: https://bar.foo.com:8080/{function.name}
              transport:
                timeouts:
                  call: 1 min
                  read: 10 sec
                  write: 10 sec
            ---
            kind: io.statefun.endpoints.v2/http
            spec:
              functions: com.example/special
              urlPathTemplate: http://special:8000/statefun?fn={function.name}
              maxNumBatchRequests: 50
              transport:
                type: io.statefun.transports.v1/async
                call: 2m
                connect: 20s
                pool_ttl: 15s
                pool_size: 1024
                payload_max_bytes: 33554432
            ---
            kind: io.statefun.kafka.v1/egress
            spec:
              id: com.example/my-egress
            """;

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(yaml)) {
            docs.add((Map<String, Object>) doc);
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    private static RemoteEndpointSpec parseSpec(String specYaml) {
        Map<String, Object> spec = (Map<String, Object>) new Yaml().<Map<String, Object>>load(specYaml).get("spec");
        return RemoteEndpointSpec.fromYaml(spec);
    }

    private static String errorOf(String specYaml) {
        return assertThrows(IllegalArgumentException.class, () -> parseSpec(specYaml)).getMessage();
    }

    @Test
    @SuppressWarnings("unchecked")
    void realStatefunModuleParses() {
        List<Map<String, Object>> docs = documents(MODULE_YAML);
        RemoteEndpointSpec wildcard = RemoteEndpointSpec.fromYaml((String) docs.get(0).get("kind"),
                (Map<String, Object>) docs.get(0).get("spec"));
        RemoteEndpointSpec special = RemoteEndpointSpec.fromYaml((Map<String, Object>) docs.get(1).get("spec"));

        TypeName greeter = TypeName.typeNameOf("com.example", "greeter");
        assertTrue(wildcard.matches(greeter));
        assertFalse(wildcard.matches(TypeName.typeNameOf("other", "greeter")));
        assertEquals("https://bar.foo.com:8080/greeter", wildcard.urlFor(greeter));
        assertEquals(Duration.ofMinutes(1), wildcard.callTimeout());
        assertEquals(Duration.ofSeconds(10), wildcard.readTimeout());
        assertEquals(Duration.ofSeconds(10), wildcard.writeTimeout());
        assertEquals(RemoteEndpointSpec.DEFAULT_MAX_NUM_BATCH_REQUESTS, wildcard.maxNumBatchRequests());

        TypeName specialType = TypeName.typeNameOf("com.example", "special");
        assertTrue(special.isSpecificFunction());
        assertTrue(special.matches(specialType));
        assertFalse(special.matches(greeter));
        assertEquals("http://special:8000/statefun?fn=special", special.urlFor(specialType));
        assertEquals(50, special.maxNumBatchRequests());
        assertEquals(RemoteEndpointSpec.Transport.ASYNC, special.transport());
        assertEquals(Duration.ofMinutes(2), special.callTimeout());
        assertEquals(Duration.ofSeconds(20), special.connectTimeout());
        assertEquals(33_554_432, special.payloadMaxBytes());
    }

    @Test
    void okhttpTransportAndV1TimeoutsUseStatefunDefaults() {
        RemoteEndpointSpec okhttp = parseSpec("""
                spec:
                  functions: a/b
                  urlPathTemplate: http://localhost:1/{function.name}
                  transport:
                    type: io.statefun.transports.v1/okhttp
                """);
        assertEquals(Duration.ofMinutes(1), okhttp.callTimeout());
        assertEquals(Duration.ofSeconds(10), okhttp.connectTimeout());

        RemoteEndpointSpec v1 = RemoteEndpointSpec.fromYaml(RemoteEndpointSpec.KIND_V1, Map.of(
                "functions", "a/*", "urlPathTemplate", "http://localhost:1/", "timeouts", Map.of("call", "30s", "connect", 500)));
        assertEquals(Duration.ofSeconds(30), v1.callTimeout());
        assertEquals(Duration.ofMillis(500), v1.connectTimeout(), "a bare number is milliseconds");
        assertEquals(Duration.ofSeconds(10), v1.readTimeout());
    }

    @Test
    void shortCallTimeoutLowersTheDefaultsButNotExplicitValues() {
        RemoteEndpointSpec spec = parseSpec("""
                spec:
                  functions: a/*
                  urlPathTemplate: http://localhost:1/{function.name}
                  transport: {timeouts: {call: 300ms}}
                """);
        assertEquals(Duration.ofMillis(300), spec.connectTimeout());
        assertEquals(Duration.ofMillis(300), spec.readTimeout());

        assertEquals("spec.transport: the connect timeout (PT20S) cannot be larger than the call timeout (PT1S)", errorOf("""
                spec:
                  functions: a/*
                  urlPathTemplate: http://localhost:1/
                  transport: {timeouts: {call: 1s, connect: 20s}}
                """));
    }

    @Test
    void badFieldsAreNamedByTheirPath() {
        assertEquals("spec.maxNumBatchRequests: expected a positive integer, got 'lots'", errorOf("""
                spec: {functions: a/*, urlPathTemplate: "http://h/", maxNumBatchRequests: lots}
                """));
        assertEquals("spec.maxNumBatchRequests: expected a positive integer, got '0'", errorOf("""
                spec: {functions: a/*, urlPathTemplate: "http://h/", maxNumBatchRequests: 0}
                """));
        assertTrue(errorOf("""
                spec: {functions: a/*, urlPathTemplate: "http://h/", maxBatch: 3}
                """).startsWith("spec.maxBatch: unknown field; known fields: [functions, maxNumBatchRequests, transport, urlPathTemplate]"));
        assertEquals("spec.transport.timeouts.call: expected a duration such as 10s, 2min or 500ms, got 'soon'", errorOf("""
                spec: {functions: a/*, urlPathTemplate: "http://h/", transport: {timeouts: {call: soon}}}
                """));
        assertEquals("spec.transport.timeouts.call: timeout durations must be larger than 0, got '0s'", errorOf("""
                spec: {functions: a/*, urlPathTemplate: "http://h/", transport: {timeouts: {call: 0s}}}
                """));
        assertTrue(errorOf("""
                spec: {functions: a/*, urlPathTemplate: "http://h/", transport: {timeouts: {idle: 1s}}}
                """).startsWith("spec.transport.timeouts.idle: unknown field"));
        assertTrue(errorOf("""
                spec: {functions: a/*, urlPathTemplate: "http://h/", transport: {type: io.statefun.transports.v1/okhttp, pool_size: 3}}
                """).startsWith("spec.transport.pool_size: unknown field"));
        assertTrue(errorOf("""
                spec: {functions: a/*, urlPathTemplate: "http://h/", transport: {type: my/transport}}
                """).startsWith("spec.transport.type: unknown transport 'my/transport'"));
        assertEquals("spec.transport: expected a map of fields, got 'fast'", errorOf("""
                spec: {functions: a/*, urlPathTemplate: "http://h/", transport: fast}
                """));
        assertEquals("spec.transport.trust_cacerts: TLS client settings are not supported by Stator yet", errorOf("""
                spec: {functions: a/*, urlPathTemplate: "https://h/", transport: {trust_cacerts: /ca.pem}}
                """));
    }

    @Test
    void functionsAndUrlAreChecked() {
        assertEquals("spec.functions: missing; expected <namespace>/<name> or <namespace>/*", errorOf("""
                spec: {urlPathTemplate: "http://h/"}
                """));
        assertTrue(errorOf("""
                spec: {functions: "a*/b", urlPathTemplate: "http://h/"}
                """).startsWith("spec.functions: functions 'a*/b' is not a valid target"));
        assertTrue(errorOf("""
                spec: {functions: nonamespace, urlPathTemplate: "http://h/"}
                """).startsWith("spec.functions: 'nonamespace' is not a type name"));
        assertEquals("spec.urlPathTemplate: urlPathTemplate 'ftp://h/{function.name}' is not an http or https URL", errorOf("""
                spec: {functions: a/*, urlPathTemplate: "ftp://h/{function.name}"}
                """));
        assertTrue(errorOf("""
                spec: {functions: a/*, urlPathTemplate: "http+unix:///uds.sock/x"}
                """).contains("UNIX domain socket endpoints are not supported"));
        assertEquals("spec.urlPathTemplate: expected a non-empty string, got '42'", errorOf("""
                spec: {functions: a/*, urlPathTemplate: 42}
                """));
    }

    @Test
    void unknownKindIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RemoteEndpointSpec.fromYaml("io.statefun.kafka.v1/egress", Map.of()));
        assertTrue(e.getMessage().startsWith("kind: 'io.statefun.kafka.v1/egress' is not an HTTP endpoint kind"));
    }

    @Test
    void statefunDurationsParseTheirUnits() {
        assertEquals(Duration.ofMinutes(2), StatefunDurations.parse("2min"));
        assertEquals(Duration.ofMinutes(2), StatefunDurations.parse("2m"));
        assertEquals(Duration.ofMinutes(1), StatefunDurations.parse("1 min"));
        assertEquals(Duration.ofSeconds(10), StatefunDurations.parse("10 sec"));
        assertEquals(Duration.ofMillis(500), StatefunDurations.parse("500ms"));
        assertEquals(Duration.ofMillis(500), StatefunDurations.parse("500"));
        assertEquals(Duration.ofHours(3), StatefunDurations.parse("3 HOURS"));
        assertEquals(Duration.ofDays(1), StatefunDurations.parse("1d"));
        assertEquals(Duration.ofNanos(7), StatefunDurations.parse("7ns"));
        assertThrows(IllegalArgumentException.class, () -> StatefunDurations.parse("1.5s"));
        assertThrows(IllegalArgumentException.class, () -> StatefunDurations.parse("5 fortnights"));
    }
}
