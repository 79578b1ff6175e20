package io.stator.ingress;

import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.web.internal.CommandLine;
import io.stator.web.internal.HttpTargets;
import io.stator.web.internal.PercentCoding;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The {@code send} CLI command: posts one record to a running runtime's HTTP ingress and prints the answer
 * ({@code {"offset":N}}), or posts a file of records as batches.
 *
 * <pre>
 * send &lt;namespace/type&gt; &lt;id&gt; &lt;payload&gt; [--type TYPENAME] [--url http://127.0.0.1:8090] [--idempotency-key K]
 * send --batch FILE|- [--url http://127.0.0.1:8090] [--idempotency-key K]
 * </pre>
 *
 * The payload is text; for built-in value types (the default is {@code io.statefun.types/string}) the runtime
 * converts it, e.g. {@code 42} for {@code io.statefun.types/int}. With {@code --batch}, FILE (or standard input)
 * holds one JSON record per line, as {@code POST /v1/ingress} takes them; they go in requests of up to
 * {@value IngressBatch#MAX_RECORDS} records (and 1 MiB), each all or none, cut as the input is read, and request n
 * carries the key {@code K/n}. A request the runtime refuses with 503 (it is backpressured; the request appended
 * nothing) is sent again after the reply's {@code Retry-After}, for up to {@link #BACKPRESSURE_PATIENCE} in all;
 * with an idempotency key, so is one the runtime could not be reached for (a restart), every second.
 * Exit codes: 0 appended, 1 refused or unreachable (requests before the refused one stay appended), 2 usage error.
 */
public final class SendCommand {
    /** The one-line usage. */
    public static final String USAGE = "usage: send <namespace/type> <id> <payload> [--type TYPENAME]"
            + " [--url http://127.0.0.1:8090] [--idempotency-key K], or send --batch FILE|- [--url URL]"
            + " [--idempotency-key K]";
    /** The runtime's default HTTP address. */
    public static final String DEFAULT_URL = "http://127.0.0.1:8090";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long one request refused with 503 (or, with an idempotency key, not answered) is retried, in all, before
     * the command gives up on it.
     */
    public static final Duration BACKPRESSURE_PATIENCE = Duration.ofMinutes(2);
    /** The wait between retries when a 503 has no usable {@code Retry-After}, and the longest wait honoured. */
    private static final long DEFAULT_RETRY_MILLIS = 1_000;
    private static final long MAX_RETRY_MILLIS = 10_000;
    /** A batch request's body stays within the ingress's default limit. */
    private static final int BATCH_BODY_BYTES = IngressHttpHandler.DEFAULT_MAX_BODY_BYTES;

    private SendCommand() {
    }

    /**
     * @param args the arguments after {@code send}
     * @param out  receives the runtime's answer
     * @param err  receives errors, one line each
     * @return the exit code: 0 appended, 1 refused or unreachable, 2 usage error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, reading {@code --batch -} from {@code in}. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(args, in, out, err, BACKPRESSURE_PATIENCE);
    }

    /**
     * As {@link #run(String[], InputStream, PrintStream, PrintStream)}, retrying a request refused with 503 for
     * {@code patience} in all ({@link Duration#ZERO}: not at all).
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Duration patience) {
        Exchange exchange = new Exchange(HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build(), patience,
                out, err);
        URI uri;
        String idempotencyKey;
        byte[] payload;
        TypeName valueType;
        try {
            CommandLine line = CommandLine.parse(args, Set.of("--type", "--url", "--idempotency-key", "--batch"),
                    Set.of());
            List<String> positionals = line.positionals();
            String batchFile = line.option("--batch", null);
            if (batchFile != null) {
                if (!positionals.isEmpty() || line.option("--type", null) != null) {
                    throw new CommandLine.UsageException("--batch takes every record from its file: no address,"
                            + " payload or --type");
                }
                String key = line.option("--idempotency-key", null);
                try (BufferedReader input = open(batchFile, in)) {
                    Batches batches = new Batches(input, batchFile, key == null);
                    return sendBatches(URI.create(line.baseUrl(DEFAULT_URL) + IngressHttpHandler.PATH_PREFIX), batches,
                            key, exchange);
                } catch (IOException e) {
                    err.println("send: cannot read --batch " + batchFile + ": " + e.getMessage());
                    return 1;
                }
            }
            if (positionals.size() != 3) {
                throw new CommandLine.UsageException("expected 3 arguments, got " + positionals.size());
            }
            TypeName functionType = typeName(positionals.get(0), "function type");
            if (positionals.get(1).isEmpty()) {
                throw new CommandLine.UsageException("the id is empty");
            }
            valueType = typeName(line.option("--type", Types.STRING_TYPENAME.asString()), "--type");
            idempotencyKey = line.option("--idempotency-key", null);
            payload = positionals.get(2).getBytes(StandardCharsets.UTF_8);
            uri = URI.create(line.baseUrl(DEFAULT_URL) + IngressHttpHandler.PATH_PREFIX + "/"
                    + HttpTargets.typeNamePath(functionType) + "/" + PercentCoding.encodeSegment(positionals.get(1))
                    + "?type=" + HttpTargets.queryValue(valueType.asString()));
        } catch (CommandLine.UsageException e) {
            err.println("send: " + e.getMessage() + "; " + USAGE);
            return 2;
        }
        return post(uri, payload, valueType, idempotencyKey, exchange);
    }

    /** @return a reader of {@code file}, or of {@code in} for {@code -} */
    private static BufferedReader open(String file, InputStream in) throws CommandLine.UsageException {
        try {
            InputStream bytes = file.equals("-") ? in : Files.newInputStream(Path.of(file));
            return new BufferedReader(new InputStreamReader(bytes, StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new CommandLine.UsageException("cannot read --batch " + file + ": " + e.getMessage());
        }
    }

    private static int post(URI uri, byte[] payload, TypeName valueType, String idempotencyKey, Exchange exchange) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", Types.builtInType(valueType) != null
                        ? "text/plain; charset=utf-8" : "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        if (idempotencyKey != null) {
            request.header(IngressHttpHandler.IDEMPOTENCY_KEY, idempotencyKey);
        }
        return exchange.send(request.build(), "");
    }

    /**
     * Posts the records in batches of at most {@value IngressBatch#MAX_RECORDS} and about 1 MiB, one after the
     * other, as they are read; stops at the first refusal.
     */
    private static int sendBatches(URI uri, Batches batches, String idempotencyKey, Exchange exchange)
            throws IOException, CommandLine.UsageException {
        int request = 0;
        for (String body = batches.next(); body != null; body = batches.next()) {
            request++;
            HttpRequest.Builder post = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (idempotencyKey != null) {
                post.header(IngressHttpHandler.IDEMPOTENCY_KEY, idempotencyKey + "/" + request);
            }
            String what = "for records " + batches.first + "-" + batches.last + " (the reply's line 1 is record "
                    + batches.first + "; blank lines are not counted"
                    + (batches.first > 1 ? "; the records before were appended" : "") + ") ";
            int code = exchange.send(post.build(), what);
            if (code != 0) {
                return code;
            }
        }
        if (request == 0) {
            throw new CommandLine.UsageException("--batch " + batches.source + " holds no records");
        }
        return 0;
    }

    /**
     * Cuts the input's non-blank lines into request bodies as they are read, so that neither a large file nor a
     * live producer's stream waits in memory. Without an idempotency key a batch also goes out as soon as the input
     * has nothing more ready ({@code producer | send --batch -} streams); with one, batches are always full, so a
     * retry of the same input cuts the same batches and each key names the same records.
     */
    private static final class Batches {
        private final BufferedReader in;
        private final String source;
        private final boolean sendWhenIdle;
        /** A line read that did not fit the batch before; it starts the next. */
        private String held;
        private long records;
        /** The numbers of the last batch's first and last records, counting from 1 without blank lines. */
        long first;
        long last;

        Batches(BufferedReader in, String source, boolean sendWhenIdle) {
            this.in = in;
            this.source = source;
            this.sendWhenIdle = sendWhenIdle;
        }

        /** @return the next request body, or null at the end of the input */
        String next() throws IOException {
            StringBuilder body = new StringBuilder();
            int bytes = 0;
            int count = 0;
            while (!(count > 0 && sendWhenIdle && held == null && !in.ready())) {
                String line = held != null ? held : in.readLine();
                held = null;
                if (line == null) {
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                line = line.strip();
                int size = line.getBytes(StandardCharsets.UTF_8).length + 1;
                if (count > 0 && (count == IngressBatch.MAX_RECORDS || bytes + size > BATCH_BODY_BYTES)) {
                    held = line;
                    break;
                }
                body.append(line).append('\n');
                bytes += size;
                count++;
            }
            if (count == 0) {
                return null;
            }
            first = records + 1;
            records += count;
            last = records;
            return body.toString();
        }
    }

    /** Sends the command's requests: one client, and the retries of a request the runtime is too busy for. */
    private static final class Exchange {
        private final HttpClient client;
        private final long patienceNanos;
        private final PrintStream out;
        private final PrintStream err;
        private boolean toldOfRetries;
        private boolean toldOfReconnects;

        Exchange(HttpClient client, Duration patience, PrintStream out, PrintStream err) {
            this.client = client;
            this.patienceNanos = patience.toNanos();
            this.out = out;
            this.err = err;
        }

        /**
         * Sends one request, again while the runtime answers 503 and patience lasts, and, for a request with an
         * idempotency key (a retry appends nothing twice), while the runtime cannot be reached (a restart); prints a
         * 202's body to {@code out}, anything else as one line to {@code err}.
         *
         * @param what said of the request in an error, before the reason ("" or ending in a space)
         * @return 0 accepted, 1 refused or unreachable
         */
        int send(HttpRequest request, String what) {
            long start = System.nanoTime();
            boolean keyed = request.headers().firstValue(IngressHttpHandler.IDEMPOTENCY_KEY).isPresent();
            try {
                while (true) {
                    HttpResponse<String> response;
                    try {
                        response = client.send(request, HttpResponse.BodyHandlers.ofString());
                    } catch (IOException e) {
                        if (!keyed || System.nanoTime() - start + DEFAULT_RETRY_MILLIS * 1_000_000 > patienceNanos) {
                            err.println("send: " + what + "cannot reach " + request.uri() + ": "
                                    + CommandLine.whyUnreachable(e));
                            return 1;
                        }
                        if (!toldOfReconnects) {
                            toldOfReconnects = true;
                            err.println("send: cannot reach the runtime (" + CommandLine.whyUnreachable(e)
                                    + "); retrying every second, for up to " + patienceNanos / 1_000_000_000
                                    + " s per request (the idempotency key keeps a retry from appending twice)");
                        }
                        Thread.sleep(DEFAULT_RETRY_MILLIS);
                        continue;
                    }
                    if (response.statusCode() == 202) {
                        out.println(response.body().strip());
                        return 0;
                    }
                    long waitMillis = retryAfterMillis(response);
                    if (response.statusCode() != 503
                            || System.nanoTime() - start + waitMillis * 1_000_000 > patienceNanos) {
                        err.println("send: " + what + "HTTP " + response.statusCode() + ": " + response.body().strip()
                                + (response.statusCode() == 503 && patienceNanos > 0 ? " (retried for "
                                + (System.nanoTime() - start) / 1_000_000_000 + " s)" : ""));
                        return 1;
                    }
                    if (!toldOfRetries) {
                        toldOfRetries = true;
                        err.println("send: the runtime is backpressured (HTTP 503); retrying as it asks, for up to "
                                + patienceNanos / 1_000_000_000 + " s per request");
                    }
                    Thread.sleep(waitMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err.println("send: interrupted");
                return 1;
            }
        }

        /** @return the reply's {@code Retry-After} in milliseconds (seconds only, at most 10), else one second */
        private static long retryAfterMillis(HttpResponse<?> response) {
            String header = response.headers().firstValue("Retry-After").orElse("");
            try {
                long seconds = Long.parseLong(header.strip());
                return seconds < 1 ? DEFAULT_RETRY_MILLIS : Math.min(seconds * 1_000, MAX_RETRY_MILLIS);
            } catch (NumberFormatException e) {
                return DEFAULT_RETRY_MILLIS; // absent, or an HTTP date, which the runtime never sends
            }
        }
    }

    private static TypeName typeName(String text, String what) throws CommandLine.UsageException {
        try {
            return TypeName.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.UsageException("bad " + what + ": " + e.getMessage());
        }
    }
}
