package io.stator.web.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses one flat JSON object, whose values are strings, numbers, booleans or null, as the egress endpoints write
 * them. Numbers and literals are kept as their source text; strings are unescaped. Nested objects and arrays are
 * refused.
 */
public final class FlatJsonObject {
    private final String text;
    private int at;

    private FlatJsonObject(String text) {
        this.text = text;
    }

    /**
     * @param text a JSON object such as {@code {"offset":3,"type":"a/b","value":"hi"}}
     * @return its members in order; a string member maps to its unescaped text, any other to its literal text
     * @throws IllegalArgumentException naming the position of the first syntax error
     */
    public static Map<String, String> parse(String text) {
        return new FlatJsonObject(text).object();
    }

    private Map<String, String> object() {
        Map<String, String> members = new LinkedHashMap<>();
        skipSpace();
        expect('{');
        skipSpace();
        if (peek() == '}') {
            at++;
            return end(members);
        }
        for (int i = 0; i <= text.length(); i++) { // bounded: every member consumes input
            skipSpace();
            String name = string();
            skipSpace();
            expect(':');
            skipSpace();
            members.put(name, peek() == '"' ? string() : literal());
            skipSpace();
            if (peek() == ',') {
                at++;
                continue;
            }
            expect('}');
            return end(members);
        }
        throw error("unterminated object");
    }

    private Map<String, String> end(Map<String, String> members) {
        skipSpace();
        if (at != text.length()) {
            throw error("text after the object");
        }
        return members;
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) {
                break;
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> out.append(unicodeEscape());
                default -> throw error("bad escape \\" + e);
            }
        }
        throw error("unterminated string");
    }

    private char unicodeEscape() {
        if (at + 4 > text.length()) {
            throw error("short \\u escape");
        }
        try {
            char c = (char) Integer.parseInt(text.substring(at, at + 4), 16);
            at += 4;
            return c;
        } catch (NumberFormatException e) {
            throw error("bad \\u escape");
        }
    }

    private String literal() {
        int start = at;
        while (at < text.length() && ",} \t\r\n".indexOf(text.charAt(at)) < 0) {
            char c = text.charAt(at);
            if (c == '{' || c == '[' || c == '"') {
                throw error("nested values are not supported");
            }
            at++;
        }
        if (start == at) {
            throw error("missing value");
        }
        return text.substring(start, at);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private void skipSpace() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("bad JSON at character " + at + ": " + what + " in " + text);
    }
}
