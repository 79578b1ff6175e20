package io.stator.web.internal;

import io.stator.sdk.TypeName;

/**
 * Reads type names out of URL paths: {@code a/b/name} is the type name with namespace {@code a/b} and name
 * {@code name}. Segments are percent-decoded; each must be non-empty, not {@code .} or {@code ..}, and free of
 * whitespace, control characters and (decoded) {@code /}.
 */
public final class PathNames {
    /** Longest type name accepted, in characters. */
    public static final int MAX_TYPE_NAME_CHARS = 1024;

    private PathNames() {
    }

    /**
     * @param raw  raw path segments
     * @param from index of the first namespace segment
     * @param to   index of the name segment
     * @param what names the thing in messages, e.g. {@code function type}
     * @return the type name made of {@code raw[from..to]}
     * @throws HttpProblem 400 if a segment is bad
     */
    public static TypeName typeName(String[] raw, int from, int to, String what) {
        StringBuilder namespace = new StringBuilder();
        for (int i = from; i < to; i++) {
            namespace.append(i == from ? "" : "/").append(segment(raw[i], what + " namespace"));
        }
        String name = segment(raw[to], what + " name");
        if (namespace.length() + 1 + name.length() > MAX_TYPE_NAME_CHARS) {
            throw HttpProblem.badRequest(what + " " + namespace + "/" + name + " is longer than "
                    + MAX_TYPE_NAME_CHARS + " characters");
        }
        return TypeName.typeNameOf(namespace.toString(), name);
    }

    /** @return the decoded segment, checked */
    static String segment(String raw, String what) {
        String segment = PercentCoding.decodeSegment(raw);
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            throw HttpProblem.badRequest("bad " + what + " '" + segment + "' in the path");
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '/') {
                throw HttpProblem.badRequest("bad " + what + " '" + segment + "': character U+"
                        + String.format("%04X", (int) c) + " is not allowed");
            }
        }
        return segment;
    }
}
