package io.stator.web.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of URL path segments (RFC 3986). Unlike {@link java.net.URLDecoder} a {@code +} stays a
 * {@code +}: that rule is for form data, not paths. An id may contain {@code /} when sent as {@code %2F}.
 */
public final class PercentCoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentCoding() {
    }

    /**
     * @param segment a raw path segment
     * @return the decoded text
     * @throws HttpProblem 400 if a {@code %} is not followed by two hex digits or the bytes are not UTF-8
     */
    public static String decodeSegment(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                if (c <= 0xff) {
                    bytes.write(c); // a raw byte: Undertow keeps unencoded URI bytes as one char each
                } else {
                    int codePoint = segment.codePointAt(i);
                    bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                    i += Character.charCount(codePoint) - 1;
                }
                continue;
            }
            int high = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(segment.charAt(i + 2), 16) : -1;
            if (low < 0) {
                throw HttpProblem.badRequest("bad percent-encoding in path segment '" + segment + "'");
            }
            bytes.write(high * 16 + low);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw HttpProblem.badRequest("path segment '" + segment + "' is not UTF-8 once decoded");
        }
    }

    /**
     * @param text any text
     * @return the text as one path segment: everything but RFC 3986's unreserved characters is percent-encoded
     */
    public static String encodeSegment(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isUnreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >>> 4]).append(HEX[c & 0x0f]);
            }
        }
        return out.toString();
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
