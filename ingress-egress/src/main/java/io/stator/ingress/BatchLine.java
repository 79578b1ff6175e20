package io.stator.ingress;

import io.stator.ingress.internal.BuiltInPayloads;
import io.stator.ingress.internal.IngressPath;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.web.internal.FlatJsonObject;
import io.stator.web.internal.HttpProblem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * One line of an HTTP ingress batch, checked: {@code {"function":"ns/type","id":"..","type":"..","value":".."}}
 * with {@code "valueBase64"} instead of {@code "value"} for raw bytes (as the egress endpoints write records).
 *
 * @param target    the function address
 * @param valueType the value's type
 * @param value     the value's bytes, in the built-in encoding for a built-in type
 */
record BatchLine(Address target, TypeName valueType, byte[] value) {
    private static final Set<String> MEMBERS = Set.of("function", "id", "type", "value", "valueBase64");

    /**
     * @throws HttpProblem 400 for a malformed line, 404 for a function type the runtime does not know
     */
    static BatchLine parse(String line, IngressGate gate) {
        Map<String, String> members;
        try {
            members = FlatJsonObject.parse(line);
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("not a flat JSON object: " + e.getMessage());
        }
        for (String name : members.keySet()) {
            if (!MEMBERS.contains(name)) {
                throw HttpProblem.badRequest("unknown member \"" + name
                        + "\"; a record has \"function\", \"id\", \"type\" and \"value\" or \"valueBase64\"");
            }
        }
        TypeName functionType;
        try {
            functionType = TypeName.parse(required(members, "function"));
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("bad function type: " + e.getMessage());
        }
        if (!gate.knowsFunctionType(functionType)) {
            throw HttpProblem.notFound("unknown function type " + functionType);
        }
        String id = required(members, "id");
        if (id.isEmpty() || id.length() > IngressPath.MAX_ID_CHARS) {
            throw HttpProblem.badRequest("the id must have 1 to " + IngressPath.MAX_ID_CHARS + " characters, had "
                    + id.length());
        }
        String type = members.get("type");
        TypeName valueType = type == null ? Types.STRING_TYPENAME : IngressHttpHandler.valueType(type);
        String text = members.get("value");
        String base64 = members.get("valueBase64");
        if ((text == null) == (base64 == null)) {
            throw HttpProblem.badRequest("a record needs exactly one of \"value\" and \"valueBase64\"");
        }
        byte[] value;
        if (text != null) {
            value = BuiltInPayloads.encode(valueType, text.getBytes(StandardCharsets.UTF_8));
        } else {
            try {
                value = Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw HttpProblem.badRequest("\"valueBase64\" is not base64: " + e.getMessage());
            }
        }
        return new BatchLine(new Address(functionType, id), valueType, value);
    }

    private static String required(Map<String, String> members, String name) {
        String value = members.get(name);
        if (value == null) {
            throw HttpProblem.badRequest("the record has no \"" + name + "\"");
        }
        return value;
    }
}
