package io.stator.benchmarks.remote;

import io.stator.remote.client.RemoteHttpClients;
import io.undertow.Undertow;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One remote-function call's HTTP round trip on loopback, as the runtime's client makes it: a POST of
 * {@code bodyBytes} (a small batch, and one of a few hundred invocations) to an Undertow server that reads it whole
 * and answers 2 bytes. {@code client=runtime} is {@link RemoteHttpClients#create}; {@code client=okhttp-sockets}
 * is the same client on OkHttp's default sockets, which leave Nagle's algorithm on.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class HttpRoundTripBenchmark {
    private static final MediaType OCTETS = MediaType.get("application/octet-stream");

    @Param({"2000", "20000"})
    int bodyBytes;

    @Param({"runtime", "okhttp-sockets"})
    String client;

    private Undertow server;
    private OkHttpClient http;
    private Request request;

    @Setup(Level.Trial)
    public void start() {
        server = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(exchange -> exchange.getRequestReceiver().receiveFullBytes((done, body) ->
                        done.getResponseSender().send(ByteBuffer.wrap(new byte[] {'o', 'k'}))))
                .build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        OkHttpClient runtime = RemoteHttpClients.create(4);
        http = client.equals("runtime") ? runtime
                : runtime.newBuilder().socketFactory(SocketFactory.getDefault()).build();
        request = new Request.Builder().url("http://127.0.0.1:" + port + "/fn")
                .post(RequestBody.create(new byte[bodyBytes], OCTETS)).build();
    }

    @Benchmark
    public int roundTrip() throws IOException {
        try (Response response = http.newCall(request).execute()) {
            return response.body().bytes().length;
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        server.stop();
    }
}
