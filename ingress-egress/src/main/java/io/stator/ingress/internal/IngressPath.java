package io.stator.ingress.internal;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.web.internal.HttpProblem;
import io.stator.web.internal.PathNames;
import io.stator.web.internal.PercentCoding;

/**
 * Parses the target address out of {@code /v1/ingress/{namespace}/{type}/{id}}. The namespace may span several
 * segments ({@code /v1/ingress/com/example/greeter/alice} targets {@code com/example/greeter}); the type and the
 * id are the last two. Each segment is percent-decoded, so an id may contain {@code /} as {@code %2F}.
 */
public final class IngressPath {
    /** The path prefix the ingress handler serves. */
    public static final String PREFIX = "/v1/ingress/";
    /** Longest id accepted, in characters. */
    public static final int MAX_ID_CHARS = 4096;

    private IngressPath() {
    }

    /**
     * @param requestUri the raw (not decoded) request path, without the query
     * @return the target address
     * @throws HttpProblem 404 if the path is not under {@link #PREFIX}, 400 if the address is malformed
     */
    public static Address parse(String requestUri) {
        int start = requestUri.indexOf(PREFIX);
        if (start < 0) {
            throw HttpProblem.notFound("no ingress at " + requestUri + "; expected " + PREFIX
                    + "{namespace}/{type}/{id}");
        }
        String[] raw = requestUri.substring(start + PREFIX.length()).split("/", -1);
        if (raw.length < 3) {
            throw HttpProblem.badRequest("bad address '" + requestUri + "': expected " + PREFIX
                    + "{namespace}/{type}/{id}");
        }
        TypeName functionType = PathNames.typeName(raw, 0, raw.length - 2, "function type");
        String id = PercentCoding.decodeSegment(raw[raw.length - 1]);
        if (id.isEmpty()) {
            throw HttpProblem.badRequest("bad address '" + requestUri + "': the id is empty");
        }
        if (id.length() > MAX_ID_CHARS) {
            throw HttpProblem.badRequest("bad address: the id has " + id.length() + " characters, more than "
                    + MAX_ID_CHARS);
        }
        return new Address(functionType, id);
    }
}
