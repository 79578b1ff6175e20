package io.stator.ingress.internal;

import io.stator.sdk.Type;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.web.internal.HttpProblem;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Turns an HTTP body into a value's bytes. For the six built-in types the body is text ({@code 42},
 * {@code true}, {@code hello}) and becomes the built-in encoding; any other type's body is taken as it is.
 */
public final class BuiltInPayloads {
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");
    private static final Pattern DECIMAL =
            Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?|NaN|-?Infinity");
    private static final int QUOTED_CHARS = 40;

    private BuiltInPayloads() {
    }

    /**
     * @param valueType the declared type
     * @param body      the body's bytes
     * @return the value's bytes
     * @throws HttpProblem 400 if the body is not a valid value of a built-in type
     */
    public static byte[] encode(TypeName valueType, byte[] body) {
        Type<?> builtIn = Types.builtInType(valueType);
        if (builtIn == null) {
            return body;
        }
        String text = utf8(body, valueType);
        if (builtIn == Types.stringType()) {
            return Types.stringType().serialize(text);
        }
        String trimmed = text.strip();
        try {
            return switch (valueType.name()) {
                case "bool" -> Types.booleanType().serialize(parseBoolean(trimmed, valueType));
                case "int" -> Types.intType().serialize(Integer.parseInt(matching(INTEGER, trimmed, valueType)));
                case "long" -> Types.longType().serialize(Long.parseLong(matching(INTEGER, trimmed, valueType)));
                case "float" -> Types.floatType().serialize(Float.parseFloat(matching(DECIMAL, trimmed, valueType)));
                case "double" ->
                        Types.doubleType().serialize(Double.parseDouble(matching(DECIMAL, trimmed, valueType)));
                default -> throw new IllegalStateException("built-in type without a text form: " + valueType);
            };
        } catch (NumberFormatException e) { // in range for the pattern, out of range for the type
            throw invalid(trimmed, valueType);
        }
    }

    private static boolean parseBoolean(String text, TypeName valueType) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(text, valueType);
        };
    }

    private static String matching(Pattern pattern, String text, TypeName valueType) {
        if (!pattern.matcher(text).matches()) {
            throw invalid(text, valueType);
        }
        return text;
    }

    private static String utf8(byte[] body, TypeName valueType) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw HttpProblem.badRequest("payload for " + valueType + " is not UTF-8 text");
        }
    }

    private static HttpProblem invalid(String text, TypeName valueType) {
        String quoted = text.length() > QUOTED_CHARS ? text.substring(0, QUOTED_CHARS) + "..." : text;
        return HttpProblem.badRequest("payload '" + quoted + "' is not a valid " + valueType);
    }
}
