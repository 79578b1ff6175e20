package io.stator.benchmarks.http;

import io.stator.ingress.IngressGate;
import io.stator.ingress.IngressHttpHandler;
import io.stator.ingress.IngressLog;
import io.stator.logs.LogContext;
import io.stator.runtime.JvmFlags;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.undertow.Handlers;
import io.undertow.Undertow;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HTTP ingress per message, client and server in one JVM on 127.0.0.1 (the JDK's HTTP/1.1 client, Undertow, a
 * Chronicle ingress log in a temp folder): one message per {@code POST /v1/ingress/{ns}/{type}/{id}}, against
 * {@value #BATCH} messages per {@code POST /v1/ingress} as JSON lines. Scores are per message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.CHRONICLE_REF, JvmFlags.CHRONICLE_NIO, JvmFlags.CHRONICLE_MISC,
    JvmFlags.CHRONICLE_JAVAC_FILE, JvmFlags.CHRONICLE_JAVAC, JvmFlags.CHRONICLE_LANG, JvmFlags.CHRONICLE_REFLECT,
    JvmFlags.CHRONICLE_IO, JvmFlags.CHRONICLE_UTIL, JvmFlags.AGRONA, JvmFlags.NO_ANALYTICS})
public class HttpIngressBenchmark {
    static final int BATCH = 100;

    private Path folder;
    private IngressLog log;
    private Undertow server;
    private HttpClient client;
    private HttpRequest single;
    private HttpRequest batch;

    @Setup(Level.Trial)
    public void start() throws IOException {
        folder = Files.createTempDirectory("stator-bench-http-ingress-");
        log = IngressLog.open(folder, new LogContext());
        IngressGate gate = new IngressGate() {
            @Override
            public boolean knowsFunctionType(TypeName functionType) {
                return true;
            }

            @Override
            public int keyGroupFor(Address target) {
                return Math.floorMod(target.id().hashCode(), 128);
            }

            @Override
            public boolean backpressured() {
                return false;
            }
        };
        server = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(Handlers.path().addPrefixPath(IngressHttpHandler.PATH_PREFIX,
                        new IngressHttpHandler(log, gate)))
                .build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        String base = "http://127.0.0.1:" + port + IngressHttpHandler.PATH_PREFIX;
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        single = HttpRequest.newBuilder(URI.create(base + "/bench/greeter/k42")).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("order-42-payload")).build();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < BATCH; i++) {
            lines.append("{\"function\":\"bench/greeter\",\"id\":\"k").append(i)
                    .append("\",\"value\":\"order-").append(i).append("-payload\"}\n");
        }
        batch = HttpRequest.newBuilder(URI.create(base)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(lines.toString())).build();
        for (HttpRequest request : new HttpRequest[] {single, batch}) { // measure appends, not refusals
            HttpResponse<String> answer = send(request);
            if (answer.statusCode() != 202) {
                throw new IllegalStateException(request.uri() + " answered " + answer.statusCode() + ": " + answer.body());
            }
        }
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        server.stop();
        log.close();
        io.stator.runtime.Folders.deleteTree(folder);
    }

    /** @return the status, 202 */
    @Benchmark
    public int onePerRequest() throws IOException, InterruptedException {
        return client.send(single, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** @return the status, 202 */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int batchOf100() throws IOException, InterruptedException {
        return client.send(batch, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
