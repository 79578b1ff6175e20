package io.stator.egress;

import io.stator.egress.internal.EgressJson;
import io.stator.egress.internal.EgressRequest;
import io.stator.egress.internal.EgressStreams;
import io.stator.egress.internal.StopReading;
import io.stator.web.internal.HttpProblem;
import io.stator.web.internal.HttpReplies;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP egress: reading an egress log as JSON lines or as server-sent events. Mount it at {@value #PATH_PREFIX}
 * (e.g. {@code PathHandler.addPrefixPath("/v1/egress", handler)}); it reads the egress name from the raw request
 * URI. Close it before the {@link EgressLogs}: that ends the open streams.
 *
 * <ul>
 *   <li>{@code GET /v1/egress/{namespace}/{name}?from=N&max=M&uncommitted=true|false}: up to {@code max}
 *       (default 100, at most 10 000) records at offsets {@code >= from} (default 0), and about
 *       {@link #PAGE_CHARS} characters (at least one record), one JSON object per line:
 *       {@code {"offset":..,"epoch":..,"type":"..","value":..}} ({@code "valueBase64"} instead of {@code "value"}
 *       for non-built-in types). The header {@value #NEXT_OFFSET} holds the offset to ask for next.
 *   <li>{@code GET /v1/egress/{namespace}/{name}/stream?from=N&uncommitted=...}: server-sent events, one per record
 *       as it becomes visible: {@code id: <offset>}, {@code data: <the same JSON>}. A client reconnecting with
 *       {@code Last-Event-ID} resumes after that offset. A stream of an egress that has no log yet (no function
 *       has emitted to it) stays open and starts once the log appears.
 * </ul>
 *
 * Read-committed unless {@code uncommitted=true}. A page of an egress without a log answers 404; other methods than
 * GET 405.
 */
public final class EgressHttpHandler implements HttpHandler, AutoCloseable {
    /** The path prefix this handler serves. */
    public static final String PATH_PREFIX = "/v1/egress";
    /** The response header holding the offset to resume from. */
    public static final String NEXT_OFFSET = "X-Next-Offset";
    /**
     * Default interval at which event streams look for new records when nothing woke them: the log wakes a
     * read-committed stream at each commit and a read-uncommitted one at each append, and a stream with a backlog
     * reads on without waiting, so this is a safety net.
     */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(20);

    /**
     * The most characters of JSON in a page, beyond its first record: records of megabytes end a page early (the
     * next offset says where to go on) instead of filling the heap; a hundred records of 1 MiB ran a 512 MiB node
     * out of memory.
     */
    public static final int PAGE_CHARS = 4 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(EgressHttpHandler.class);
    private static final HttpString NEXT_OFFSET_HEADER = HttpString.tryFromString(NEXT_OFFSET);
    private static final HttpString LAST_EVENT_ID = HttpString.tryFromString("Last-Event-ID");

    private final EgressLogs logs;
    private final EgressStreams streams;

    /** A handler whose streams poll every {@link #DEFAULT_POLL_INTERVAL}. */
    public EgressHttpHandler(EgressLogs logs) {
        this(logs, DEFAULT_POLL_INTERVAL);
    }

    /**
     * @param logs         the egress logs to serve
     * @param pollInterval how often each event stream looks for new records when nothing wakes it
     */
    public EgressHttpHandler(EgressLogs logs, Duration pollInterval) {
        this.logs = Objects.requireNonNull(logs, "logs");
        this.streams = new EgressStreams(pollInterval);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this); // opening a log and reading records touch the disk: use a worker thread
            return;
        }
        if (!Methods.GET.equals(exchange.getRequestMethod())) {
            HttpReplies.methodNotAllowed(exchange, Methods.GET_STRING);
            return;
        }
        try {
            EgressRequest request = EgressRequest.parse(exchange.getRequestURI(), exchange.getQueryParameters(),
                    exchange.getRequestHeaders().getFirst(LAST_EVENT_ID));
            if (request.stream()) {
                findLogIfAny(request); // a bad name is refused here; a missing egress is waited for
                streams.start(exchange, () -> logs.find(request.egress()), request.from(), !request.uncommitted());
            } else {
                sendPage(exchange, findLogIfAny(request).orElseThrow(
                        () -> HttpProblem.notFound("no egress named " + request.egress())), request);
            }
        } catch (HttpProblem problem) {
            HttpReplies.text(exchange, problem.status(), problem.getMessage());
        } catch (RuntimeException e) {
            LOG.error("egress request {} failed", exchange.getRequestURI(), e);
            HttpReplies.text(exchange, 500, "egress read failed: " + e.getMessage());
        }
    }

    /** @return how many event streams are open */
    public int openStreams() {
        return streams.openStreams();
    }

    /** Ends every open event stream and stops the thread that feeds them. */
    @Override
    public void close() {
        streams.close();
    }

    private Optional<EgressLog> findLogIfAny(EgressRequest request) {
        try {
            return logs.find(request.egress());
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest(e.getMessage());
        }
    }

    private static void sendPage(HttpServerExchange exchange, EgressLog log, EgressRequest request) {
        StringBuilder body = new StringBuilder();
        long next;
        try (EgressReader reader = EgressReader.open(log, request.from(), !request.uncommitted())) {
            try {
                reader.poll((offset, epoch, type, value) -> {
                    String line = EgressJson.line(offset, epoch, type, value);
                    if (body.length() > 0 && body.length() + line.length() >= PAGE_CHARS) {
                        throw StopReading.INSTANCE; // the page is full: this record starts the next one
                    }
                    body.append(line).append('\n');
                }, request.max());
            } catch (StopReading full) {
                // the next offset is the record not taken
            }
            next = reader.nextOffset();
        }
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/x-ndjson; charset=utf-8");
        exchange.getResponseHeaders().put(NEXT_OFFSET_HEADER, Long.toString(next));
        exchange.getResponseSender().send(body.toString());
    }
}
