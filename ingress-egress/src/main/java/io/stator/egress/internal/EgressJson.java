package io.stator.egress.internal;

import io.stator.sdk.Type;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.web.internal.Json;
import java.util.Base64;

/**
 * One egress record as one line of JSON:
 * {@code {"offset":12,"epoch":3,"type":"io.statefun.types/string","value":"hello"}}. Values of the built-in
 * types are JSON strings, numbers or booleans (a float that JSON cannot write, NaN or infinite, as a string);
 * any other type's bytes are in {@code "valueBase64"}.
 */
public final class EgressJson {
    /** Member holding a readable value. */
    public static final String VALUE = "value";
    /** Member holding a value's bytes in base64. */
    public static final String VALUE_BASE64 = "valueBase64";

    private EgressJson() {
    }

    /** @return the record as one JSON line, without line break */
    public static String line(long offset, long epoch, TypeName valueType, byte[] value) {
        StringBuilder out = new StringBuilder(64 + value.length * 2);
        out.append("{\"offset\":").append(offset).append(",\"epoch\":").append(epoch).append(",\"type\":");
        Json.appendString(out, valueType.asString());
        String readable = readable(valueType, value);
        if (readable != null) {
            out.append(",\"" + VALUE + "\":").append(readable);
        } else {
            out.append(",\"" + VALUE_BASE64 + "\":\"").append(Base64.getEncoder().encodeToString(value)).append('"');
        }
        return out.append('}').toString();
    }

    /** @return the value as JSON, or null if it is not a (valid) built-in value */
    private static String readable(TypeName valueType, byte[] value) {
        Type<?> builtIn = Types.builtInType(valueType);
        if (builtIn == null) {
            return null;
        }
        Object decoded;
        try {
            decoded = builtIn.deserialize(value);
        } catch (RuntimeException e) {
            return null; // not what the type promises: show the bytes instead
        }
        if (decoded instanceof String text) {
            return Json.quote(text);
        }
        if (decoded instanceof Double d && (d.isNaN() || d.isInfinite())
                || decoded instanceof Float f && (f.isNaN() || f.isInfinite())) {
            return Json.quote(decoded.toString());
        }
        return decoded.toString();
    }
}
