package io.stator.ingress;

import io.stator.ingress.internal.BuiltInPayloads;
import io.stator.ingress.internal.IngressPath;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.web.internal.FullBody;
import io.stator.web.internal.HttpProblem;
import io.stator.web.internal.HttpReplies;
import io.stator.web.internal.PathNames;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP ingress: {@code POST /v1/ingress/{namespace}/{type}/{id}[?type=<value type>]} appends the body to the
 * ingress log for that address and answers {@code 202 {"offset":N}} once the record is durable. Mount it at
 * {@value #PATH_PREFIX} (e.g. {@code PathHandler.addPrefixPath("/v1/ingress", handler)}); it reads the address from
 * the raw request URI.
 *
 * <p>The value type defaults to {@code io.statefun.types/string}. For the six built-in types the body is text
 * ({@code 42}, {@code true}, {@code hello}) converted to the built-in encoding; any other type's body is stored as
 * it is. An {@value #IDEMPOTENCY_KEY} header makes a retry append nothing and answer the first offset again.
 *
 * <p>{@code POST /v1/ingress} (no address) appends a batch: the body holds one JSON object per line,
 * {@code {"function":"<namespace>/<type>","id":"..","type":"<value type>","value":".."}}, with {@code "type"}
 * optional as above and {@code "valueBase64"} instead of {@code "value"} for raw bytes. The records go into the log
 * as one document, all or none, in their order, and the answer is {@code 202 {"offset":N,"records":M}}. At most
 * {@value IngressBatch#MAX_RECORDS} records; an {@value #IDEMPOTENCY_KEY} covers the whole batch. A refusal names
 * the line at fault.
 *
 * <p>Refusals, each a one-line text reason with nothing appended: 405 (not POST, with {@code Allow}), 400 (bad
 * address, bad value type, payload invalid for its type, key too long, a malformed batch line), 404 (unknown
 * function type), 503 with {@code Retry-After: 1} (the runtime is backpressured), 413 (body over the limit, a batch
 * over {@value IngressBatch#MAX_RECORDS} records or {@value IngressBatch#MAX_BYTES} bytes).
 *
 * <p>The body is read without holding a thread while the client sends it ({@link FullBody}). A single record is
 * then checked and appended on the connection's IO thread: a few microseconds that do not wait (but for the first
 * append of a new log file, ~1-2 ms once per roll period), where a worker thread's hand-off and return cost the
 * node more CPU than the request itself. A keyed record that would wait (for the log's keys to be read back after
 * a start, or for an earlier append of its key to end: {@link IngressLog#appendUnlessWaiting}) goes on on a
 * worker thread, and so does a batch (up to 1 MiB of JSON to parse).
 */
public final class IngressHttpHandler implements HttpHandler {
    /** The path prefix this handler serves. */
    public static final String PATH_PREFIX = "/v1/ingress";
    /** The request header carrying an idempotency key. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Default largest body accepted: 1 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    /** The largest body limit that may be configured: 1 GiB. */
    public static final int MAX_BODY_LIMIT = 1 << 30;

    private static final Logger LOG = LoggerFactory.getLogger(IngressHttpHandler.class);
    private static final HttpString IDEMPOTENCY_KEY_HEADER = HttpString.tryFromString(IDEMPOTENCY_KEY);

    private final IngressLog log;
    private final IngressGate gate;
    private final int maxBodyBytes;

    /** A handler accepting bodies up to {@value #DEFAULT_MAX_BODY_BYTES} bytes. */
    public IngressHttpHandler(IngressLog log, IngressGate gate) {
        this(log, gate, DEFAULT_MAX_BODY_BYTES);
    }

    /**
     * @param log          where records go
     * @param gate         the runtime's answers about function types, key groups and backpressure
     * @param maxBodyBytes the largest body accepted, 0 to {@link #MAX_BODY_LIMIT}
     */
    public IngressHttpHandler(IngressLog log, IngressGate gate, int maxBodyBytes) {
        if (maxBodyBytes < 0 || maxBodyBytes > MAX_BODY_LIMIT) {
            throw new IllegalArgumentException("maxBodyBytes must be between 0 and " + MAX_BODY_LIMIT + ", was "
                    + maxBodyBytes);
        }
        this.log = Objects.requireNonNull(log, "log");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!Methods.POST.equals(exchange.getRequestMethod())) {
            HttpReplies.methodNotAllowed(exchange, Methods.POST_STRING);
            return;
        }
        FullBody.TooLarge refuse = (ex, size) -> HttpReplies.text(ex, 413, tooLarge(size).getMessage());
        if (isBatch(exchange.getRequestPath())) {
            FullBody.receive(exchange, maxBodyBytes, refuse, (ex, body) -> append(ex, body, true));
        } else {
            FullBody.receiveInPlace(exchange, maxBodyBytes, refuse, (ex, body) -> append(ex, body, false));
        }
    }

    /**
     * Checks the request and appends it, with the whole body.
     *
     * @param onWorker whether this thread may wait; if not (an IO thread), a keyed record that would wait for its
     *                 key is handed to a worker thread and checked again there
     */
    private void append(HttpServerExchange exchange, byte[] body, boolean onWorker) {
        try {
            if (isBatch(exchange.getRequestPath())) {
                IngressBatch batch = acceptBatch(exchange, body);
                long offset = log.append(batch);
                HttpReplies.json(exchange, 202, "{\"offset\":" + offset + ",\"records\":" + batch.size() + "}");
            } else {
                long offset = accept(exchange, body, onWorker);
                if (offset == IngressLog.WOULD_WAIT) {
                    exchange.dispatch((HttpHandler) worker -> append(worker, body, true));
                    return;
                }
                HttpReplies.json(exchange, 202, "{\"offset\":" + offset + "}");
            }
        } catch (HttpProblem problem) {
            HttpReplies.text(exchange, problem.status(), problem.getMessage());
        } catch (RuntimeException e) {
            LOG.error("ingress append for {} failed", exchange.getRequestURI(), e);
            HttpReplies.text(exchange, 500, "ingress append failed: " + e.getMessage());
        } catch (VirtualMachineError e) {
            if (!(e instanceof StackOverflowError)) {
                gate.appendFailedFatally(e);
            }
            throw e;
        }
    }

    /** The checks in order, then the append; @return its position, or {@link IngressLog#WOULD_WAIT} */
    private long accept(HttpServerExchange exchange, byte[] body, boolean mayWait) {
        Address target = IngressPath.parse(exchange.getRequestURI());
        if (!gate.knowsFunctionType(target.type())) {
            throw HttpProblem.notFound("unknown function type " + target.type());
        }
        if (gate.backpressured()) {
            exchange.getResponseHeaders().put(HttpReplies.RETRY_AFTER, "1");
            throw HttpProblem.unavailable("the runtime is backpressured; retry later");
        }
        TypeName valueType = valueType(exchange);
        String idempotencyKey = idempotencyKey(exchange);
        byte[] value = BuiltInPayloads.encode(valueType, body);
        return mayWait ? log.append(gate.keyGroupFor(target), target, valueType, value, idempotencyKey)
                : log.appendUnlessWaiting(gate.keyGroupFor(target), target, valueType, value, idempotencyKey);
    }

    /** @param requestPath the request's path, without query */
    private static boolean isBatch(String requestPath) {
        return requestPath.equals(PATH_PREFIX) || requestPath.equals(PATH_PREFIX + "/");
    }

    /** Checks and encodes every line of a batch body; @return the batch, not yet appended */
    private IngressBatch acceptBatch(HttpServerExchange exchange, byte[] body) {
        if (gate.backpressured()) {
            exchange.getResponseHeaders().put(HttpReplies.RETRY_AFTER, "1");
            throw HttpProblem.unavailable("the runtime is backpressured; retry later");
        }
        String idempotencyKey = idempotencyKey(exchange);
        IngressBatch batch = new IngressBatch();
        if (idempotencyKey != null) {
            batch.withIdempotencyKey(idempotencyKey);
        }
        String[] lines = new String(body, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (batch.size() == IngressBatch.MAX_RECORDS) {
                throw HttpProblem.tooLarge("a batch holds at most " + IngressBatch.MAX_RECORDS + " records");
            }
            try {
                BatchLine record = BatchLine.parse(line, gate);
                batch.add(gate.keyGroupFor(record.target()), record.target(), record.valueType(), record.value());
            } catch (HttpProblem problem) {
                throw problem.withPrefix("line " + (i + 1) + ": ");
            } catch (IllegalStateException e) {
                throw HttpProblem.tooLarge("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (batch.isEmpty()) {
            throw HttpProblem.badRequest("the batch has no records: expected one JSON object per line");
        }
        return batch;
    }

    private static TypeName valueType(HttpServerExchange exchange) {
        Deque<String> values = exchange.getQueryParameters().get("type");
        if (values == null || values.isEmpty()) {
            return Types.STRING_TYPENAME;
        }
        return valueType(values.getFirst());
    }

    /** @throws HttpProblem 400 if {@code text} is not a value type name */
    static TypeName valueType(String text) {
        try {
            TypeName type = TypeName.parse(text);
            if (text.length() > PathNames.MAX_TYPE_NAME_CHARS) {
                throw HttpProblem.badRequest("value type is longer than " + PathNames.MAX_TYPE_NAME_CHARS
                        + " characters");
            }
            return type;
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("bad value type: " + e.getMessage());
        }
    }

    private static String idempotencyKey(HttpServerExchange exchange) {
        HeaderValues values = exchange.getRequestHeaders().get(IDEMPOTENCY_KEY_HEADER);
        if (values == null || values.isEmpty()) {
            return null;
        }
        String key = values.getFirst();
        if (key.isEmpty() || key.getBytes(StandardCharsets.UTF_8).length
                > IngressLog.MAX_IDEMPOTENCY_KEY_BYTES) {
            throw HttpProblem.badRequest(IDEMPOTENCY_KEY + " must have 1 to " + IngressLog.MAX_IDEMPOTENCY_KEY_BYTES
                    + " bytes, had " + key.length() + " characters");
        }
        return key;
    }

    /** Reads at most one byte more than the limit, so an oversized body is detected without reading it all. */
    private HttpProblem tooLarge(String size) {
        return HttpProblem.tooLarge("payload of " + size + " exceeds the limit of " + maxBodyBytes + " bytes");
    }
}
