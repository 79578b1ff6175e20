package io.stator.runtime.ops;

import io.stator.remote.client.RemoteEndpointSpec;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the body of {@code PUT /v1/admin/endpoints}: the {@code spec} of a module.yaml
 * {@code io.statefun.endpoints.v2/http} document, as YAML or JSON (JSON is YAML, so one safe YAML parser reads
 * both). A whole document ({@code kind} + {@code spec}) is accepted too, which also allows the older v1 kind.
 *
 * <pre>
 * {"functions": "example/*", "urlPathTemplate": "http://127.0.0.1:8000/{function.name}",
 *  "transport": {"type": "io.statefun.transports.v1/async", "call": "30s"}}
 * </pre>
 * Every refusal is a 400 whose message starts with the bad field's path, as module.yaml errors do.
 */
final class EndpointSpecBody {
    private EndpointSpecBody() {
    }

    /**
     * @return the endpoint the body describes
     * @throws OpsProblem 400 naming the field (or the syntax error) that is wrong
     */
    static RemoteEndpointSpec parse(byte[] body) {
        Object root = load(utf8(body));
        if (!(root instanceof Map<?, ?> map)) {
            throw OpsProblem.badRequest("spec: expected a map of endpoint fields (functions, urlPathTemplate, ...), got "
                    + (root == null ? "an empty body" : "'" + abbreviated(String.valueOf(root)) + "'"));
        }
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw OpsProblem.badRequest("spec: field names must be strings, got '" + key + "'");
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) map;
        try {
            if (fields.containsKey("kind")) {
                return wholeDocument(fields);
            }
            return RemoteEndpointSpec.fromYaml(fields);
        } catch (IllegalArgumentException e) {
            throw OpsProblem.badRequest(e.getMessage());
        }
    }

    private static RemoteEndpointSpec wholeDocument(Map<String, Object> document) {
        for (String key : document.keySet()) {
            if (!key.equals("kind") && !key.equals("spec")) {
                throw OpsProblem.badRequest(key + ": unknown field of an endpoint document; expected kind and spec");
            }
        }
        if (!(document.get("kind") instanceof String kind)) {
            throw OpsProblem.badRequest("kind: expected " + RemoteEndpointSpec.KIND_V2 + ", got '" + document.get("kind") + "'");
        }
        Object spec = document.get("spec");
        if (spec != null && !(spec instanceof Map<?, ?>)) {
            throw OpsProblem.badRequest("spec: expected a map of endpoint fields, got '" + abbreviated(String.valueOf(spec)) + "'");
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> specFields = (Map<String, ?>) spec;
        return RemoteEndpointSpec.fromYaml(kind, specFields);
    }

    private static Object load(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10); // no alias bombs
        options.setNestingDepthLimit(16);
        options.setCodePointLimit(Math.max(1, text.length()));
        try {
            return new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw OpsProblem.badRequest("body: not valid YAML or JSON: " + abbreviated(e.getMessage()));
        }
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw OpsProblem.badRequest("body: not UTF-8 text");
        }
    }

    private static String abbreviated(String s) {
        String oneLine = s.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }
}
