package io.stator.egress.internal;

import io.stator.sdk.TypeName;
import io.stator.web.internal.HttpProblem;
import io.stator.web.internal.PathNames;
import java.util.Deque;
import java.util.Map;

/**
 * A parsed egress request: {@code /v1/egress/{namespace}/{name}?from=N&max=M&uncommitted=true|false} (a page of
 * records) or {@code /v1/egress/{namespace}/{name}/stream?from=N&uncommitted=...} (server-sent events). A namespace
 * may span several segments; a path whose last segment is {@code stream} is always a stream request.
 *
 * @param egress      the egress's name
 * @param stream      true for the event stream
 * @param from        the first offset to deliver
 * @param max         the most records in a page
 * @param uncommitted true to read uncommitted records too
 */
public record EgressRequest(TypeName egress, boolean stream, long from, int max, boolean uncommitted) {
    /** The path prefix the egress handler serves. */
    public static final String PREFIX = "/v1/egress/";
    /** Default page size. */
    public static final int DEFAULT_MAX = 100;
    /** Largest page size. */
    public static final int MAX_MAX = 10_000;

    private static final String STREAM = "stream";

    /**
     * @param requestUri  the raw request path, without the query
     * @param query       the decoded query parameters
     * @param lastEventId the {@code Last-Event-ID} header of a reconnecting event stream, or null; it wins over
     *                    {@code from}
     * @return the request
     * @throws HttpProblem 404 if the path is not under {@link #PREFIX}, 400 if it or a parameter is malformed
     */
    public static EgressRequest parse(String requestUri, Map<String, Deque<String>> query, String lastEventId) {
        int start = requestUri.indexOf(PREFIX);
        if (start < 0) {
            throw HttpProblem.notFound("no egress at " + requestUri + "; expected " + PREFIX + "{namespace}/{name}");
        }
        String[] raw = requestUri.substring(start + PREFIX.length()).split("/", -1);
        boolean stream = raw.length >= 3 && raw[raw.length - 1].equals(STREAM);
        int nameAt = raw.length - (stream ? 2 : 1);
        if (nameAt < 1) {
            throw HttpProblem.badRequest("bad egress path '" + requestUri + "': expected " + PREFIX
                    + "{namespace}/{name}[/stream]");
        }
        TypeName egress = PathNames.typeName(raw, 0, nameAt, "egress");
        long from = longParam(query, "from", 0);
        if (stream && lastEventId != null && !lastEventId.isBlank()) {
            from = parseLong("Last-Event-ID", lastEventId.strip()) + 1; // resume after the last event received
        }
        long max = longParam(query, "max", DEFAULT_MAX);
        if (max < 1 || max > MAX_MAX) {
            throw HttpProblem.badRequest("max must be between 1 and " + MAX_MAX + ", was " + max);
        }
        return new EgressRequest(egress, stream, from, (int) max, booleanParam(query, "uncommitted"));
    }

    private static long longParam(Map<String, Deque<String>> query, String name, long otherwise) {
        Deque<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return otherwise;
        }
        long value = parseLong(name, values.getFirst());
        if (value < 0) {
            throw HttpProblem.badRequest(name + " must be at least 0, was " + value);
        }
        return value;
    }

    private static long parseLong(String name, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest(name + " must be a whole number, was '" + text + "'");
        }
    }

    private static boolean booleanParam(Map<String, Deque<String>> query, String name) {
        Deque<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return false;
        }
        return switch (values.getFirst()) {
            case "true", "" -> true;
            case "false" -> false;
            default -> throw HttpProblem.badRequest(name + " must be true or false, was '" + values.getFirst() + "'");
        };
    }
}
