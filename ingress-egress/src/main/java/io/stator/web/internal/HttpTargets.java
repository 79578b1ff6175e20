package io.stator.web.internal;

import io.stator.sdk.TypeName;

/** Builds the request paths the CLI clients call. */
public final class HttpTargets {
    private HttpTargets() {
    }

    /** @return {@code namespace/name} as path segments, each percent-encoded, the namespace's slashes kept */
    public static String typeNamePath(TypeName name) {
        StringBuilder path = new StringBuilder();
        for (String segment : name.namespace().split("/", -1)) {
            path.append(PercentCoding.encodeSegment(segment)).append('/');
        }
        return path.append(PercentCoding.encodeSegment(name.name())).toString();
    }

    /** @return {@code text} as a query parameter value */
    public static String queryValue(String text) {
        return PercentCoding.encodeSegment(text);
    }
}
