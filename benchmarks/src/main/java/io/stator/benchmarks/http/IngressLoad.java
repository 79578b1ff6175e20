package io.stator.benchmarks.http;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bounded load of single-record {@code POST /v1/ingress/{ns}/{type}/{id}} requests against a running node on
 * loopback: {@code --connections} keep-alive connections, each sending its share of {@code --requests} one after
 * the other, as many small clients would. It reads the node's {@code process_cpu_seconds_total} before and after,
 * so the line it prints says what a request costs the node, not only how many went through:
 *
 * <pre>
 * http-ingress connections=4 requests=200000 keyed=false seconds=9.1 req_per_s=21978 p50_ms=0.16 p99_ms=0.52 node_cpu_us_per_req=61.2 non_202=0 ok=true
 * </pre>
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.stator.benchmarks.http.IngressLoad --url
 * http://127.0.0.1:8090 --function example/greeter [--connections 4] [--requests 200000] [--ids 1000] [--keyed]}
 * ({@code --keyed}: every request carries an {@code Idempotency-Key} of its own, as a producer that retries safely
 * sends). The client is plain sockets, so that most of the machine's CPU goes to the node; on a 2-core machine the
 * client still takes a share of it.
 */
public final class IngressLoad {
    private static final int MAX_REQUESTS = 10_000_000;

    private final String host;
    private final int port;
    private final String pathPrefix;
    private final int connections;
    private final int requests;
    private final int ids;
    private final boolean keyed;
    /** Makes the keys of one run differ from another's against the same node. */
    private final long runId = System.currentTimeMillis();

    private IngressLoad(URI url, String function, int connections, int requests, int ids, boolean keyed) {
        this.host = url.getHost();
        this.port = url.getPort() < 0 ? 80 : url.getPort();
        this.pathPrefix = "/v1/ingress/" + function + "/";
        this.connections = connections;
        this.requests = requests;
        this.ids = ids;
        this.keyed = keyed;
    }

    /** Runs the load and prints its line; exits 1 if a request was not accepted, 2 on a usage error. */
    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the load as {@link #main} does.
     *
     * @return the exit status: 0, 1 if a request was not accepted (or failed), 2 on a usage error
     */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        URI url = URI.create("http://127.0.0.1:8090");
        String function = null;
        int connections = 4;
        int requests = 200_000;
        int ids = 1_000;
        boolean keyed = false;
        try {
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--keyed")) {
                    keyed = true;
                    continue;
                }
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--url" -> url = URI.create(required(args[i], value));
                    case "--function" -> function = required(args[i], value);
                    case "--connections" -> connections = bounded(args[i], value, 1, 1_000);
                    case "--requests" -> requests = bounded(args[i], value, 1, MAX_REQUESTS);
                    case "--ids" -> ids = bounded(args[i], value, 1, Integer.MAX_VALUE);
                    default -> throw new IllegalArgumentException("unknown flag " + args[i]);
                }
                i++;
            }
            if (function == null || !function.matches("[^/]+/[^/]+")) {
                throw new IllegalArgumentException("--function NAMESPACE/TYPE is required");
            }
            if (!"127.0.0.1".equals(url.getHost()) && !"localhost".equals(url.getHost())) {
                throw new IllegalArgumentException("--url must be on loopback (127.0.0.1), was " + url);
            }
            if (connections > requests) {
                throw new IllegalArgumentException("--connections must not be more than --requests");
            }
        } catch (IllegalArgumentException e) {
            err.println("ingress-load: " + e.getMessage());
            return 2;
        }
        Result r = new IngressLoad(url, function, connections, requests, ids, keyed).run(url);
        out.println(r.line());
        return r.ok() ? 0 : 1;
    }

    private static String required(String flag, String value) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }

    private static int bounded(String flag, String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(required(flag, value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " takes a number, was " + value);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ", was " + n);
        }
        return n;
    }

    /** What one run measured. */
    record Result(int connections, int requests, boolean keyed, double seconds, long[] latencyNanos,
            double nodeCpuSeconds, long non202, String failure) {
        boolean ok() {
            return non202 == 0 && failure == null;
        }

        String line() {
            Arrays.sort(latencyNanos);
            return String.format(Locale.ROOT, "http-ingress connections=%d requests=%d keyed=%s seconds=%.3f"
                            + " req_per_s=%.0f p50_ms=%.3f p99_ms=%.3f node_cpu_us_per_req=%.1f non_202=%d ok=%s%s",
                    connections, requests, keyed, seconds, requests / seconds, percentile(0.50), percentile(0.99),
                    nodeCpuSeconds * 1e6 / requests, non202, ok(), failure == null ? "" : " failure=" + failure);
        }

        private double percentile(double q) {
            return latencyNanos[Math.min(latencyNanos.length - 1, (int) (q * latencyNanos.length))] / 1e6;
        }
    }

    private Result run(URI url) throws Exception {
        HttpClient metricsClient = HttpClient.newHttpClient();
        URI metrics = url.resolve("/metrics");
        long[] latencies = new long[requests];
        AtomicLong non202 = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread[] threads = new Thread[connections];
        double cpuBefore = nodeCpuSeconds(metricsClient, metrics);
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            int from = (int) ((long) requests * c / connections);
            int to = (int) ((long) requests * (c + 1) / connections);
            threads[c] = new Thread(() -> {
                try {
                    send(from, to, latencies, non202);
                } catch (IOException | RuntimeException e) {
                    failure.compareAndSet(null, e.toString().replace(' ', '_'));
                }
            }, "ingress-load-" + c);
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuAfter = nodeCpuSeconds(metricsClient, metrics);
        return new Result(connections, requests, keyed, seconds, latencies, cpuAfter - cpuBefore, non202.get(),
                failure.get());
    }

    /** One connection's requests {@code [from, to)}, one at a time, each to one of {@code ids} ids. */
    private void send(int from, int to, long[] latencies, AtomicLong non202) throws IOException {
        byte[] body = "load".getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket(host, port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1024);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 4096);
            for (int i = from; i < to; i++) {
                String head = "POST " + pathPrefix + "id-" + (i % ids) + " HTTP/1.1\r\nHost: " + host + ":" + port
                        + (keyed ? "\r\nIdempotency-Key: load-" + runId + "-" + i : "")
                        + "\r\nContent-Length: " + body.length + "\r\n\r\n";
                long sent = System.nanoTime();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                if (readResponse(in) != 202) {
                    non202.incrementAndGet();
                }
                latencies[i] = System.nanoTime() - sent;
            }
        }
    }

    /** Reads one response (status line, headers, a {@code Content-Length} body); @return its status */
    private static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + status);
        }
        int length = -1;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(header.substring(15).trim());
            }
        }
        if (length < 0) {
            throw new IOException("a response without Content-Length: " + status);
        }
        if (in.readNBytes(length).length != length) {
            throw new EOFException("the response body ended early");
        }
        return Integer.parseInt(status.substring(9, 12));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the node closed the connection");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /** @return the node's {@code process_cpu_seconds_total} */
    private static double nodeCpuSeconds(HttpClient client, URI metrics) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(metrics).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
            if (line.startsWith("process_cpu_seconds_total ")) {
                return Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        throw new UncheckedIOException(new IOException(metrics + " has no process_cpu_seconds_total"));
    }
}
