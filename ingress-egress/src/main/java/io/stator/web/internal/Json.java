package io.stator.web.internal;

/** Writes JSON strings: the escaping RFC 8259 requires, plus U+2028/U+2029 so a line stays one line in JavaScript. */
public final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
    }

    /** Appends {@code text} as a quoted JSON string. */
    public static StringBuilder appendString(StringBuilder out, String text) {
        return append(out, text, false);
    }

    /**
     * As {@link #appendString}, with {@code <} written as {@code \u003c} too: JSON that a page embeds in a
     * {@code <script>} element cannot end it early, whatever a value holds.
     */
    public static StringBuilder appendScriptSafeString(StringBuilder out, String text) {
        return append(out, text, true);
    }

    private static StringBuilder append(StringBuilder out, String text, boolean escapeLessThan) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == '<' && escapeLessThan) {
                        out.append("\\u").append(HEX[c >>> 12]).append(HEX[(c >>> 8) & 0xf])
                                .append(HEX[(c >>> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** @return {@code text} as a quoted JSON string */
    public static String quote(String text) {
        return appendString(new StringBuilder(text.length() + 2), text).toString();
    }
}
