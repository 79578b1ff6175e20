package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.egress.EgressReader;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP ingress of a node refuses new records only when a partition is too far behind the log, not whenever a
 * partition is backpressured: with a full inbox of its peer, a partition stops reading the ingress log, and the
 * node used to answer 503 to every producer at such moments, which cross-partition load makes frequent.
 */
@Timeout(120)
class IngressLagTest {
    static final int P = 2;
    static final int MAX_PARALLELISM = 16;
    static final long MAX_LAG = 8;
    static final TypeName FLOOD = TypeName.typeNameOf("test", "flood");
    static final TypeName SINK = TypeName.typeNameOf("test", "sink");
    static final TypeName OUT = TypeName.typeNameOf("test", "out");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aBackpressuredPartitionOnlyFallsBehindAndTheLagBoundRefuses() throws Exception {
        String flooder = Addresses.idOnPartition(FLOOD, "f", 0, 0, P, MAX_PARALLELISM);
        String sink = Addresses.idOnPartition(SINK, "s", 0, 1, P, MAX_PARALLELISM);
        CountDownLatch release = new CountDownLatch(1);
        // "flood" fills the sink's inbox (the sink's partition is held in its first call); "ping N" is answered
        StatefulFunction flood = (ctx, msg) -> {
            String text = msg.asUtf8String();
            if (text.equals("flood")) {
                for (int i = 0; i < 2_000; i++) {
                    ctx.send(MessageBuilder.forAddress(SINK, sink).withValue("x".repeat(100)).build());
                }
            } else {
                ctx.send(EgressMessageBuilder.forEgress(OUT).withValue("pong " + text).build());
            }
            return StatefulFunction.DONE;
        };
        StatefulFunction hold = (ctx, msg) -> {
            release.await();
            return StatefulFunction.DONE;
        };
        StatorConfig config = Stator.builder().partitions(P).maxParallelism(MAX_PARALLELISM).inboxCapacity(8192)
                .maxIngressLag(MAX_LAG).snapshotInterval(Duration.ofMillis(100))
                .withFunction(StatefulFunctionSpec.builder(FLOOD).withSupplier(() -> flood).build())
                .withFunction(StatefulFunctionSpec.builder(SINK).withSupplier(() -> hold).build());
        try (StatorNode node = StatorNode.start(config, dir, "127.0.0.1", 0)) {
            try {
                check(node, flooder, release);
            } finally {
                release.countDown(); // a failed check must not leave a partition held: the node could not stop
            }
        }
    }

    private void check(StatorNode node, String flooder, CountDownLatch release) throws Exception {
        String url = "http://127.0.0.1:" + node.port() + "/v1/ingress/test/flood/" + flooder;
        assertEquals(202, post(url, "flood").statusCode());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!node.stator().isBackpressured() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(node.stator().isBackpressured(), "partition 0 waits for the held partition's inbox");

        int accepted = 0;
        for (int i = 0; i < 4; i++) {
            assertEquals(202, post(url, "ping " + accepted).statusCode(), "behind by a few: taken");
            accepted++;
        }
        assertTrue(node.stator().isBackpressured(), "still backpressured while the pings were taken");

        HttpResponse<String> refused = null;
        for (int i = 0; i < 40 && refused == null; i++) {
            HttpResponse<String> r = post(url, "ping " + accepted);
            if (r.statusCode() == 202) {
                accepted++;
            } else {
                refused = r;
            }
            Thread.sleep(15); // the node measures the lag every 10 ms
        }
        assertTrue(refused != null, "never refused with " + accepted + " pings behind");
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
        assertTrue(accepted > MAX_LAG - 2 && accepted <= MAX_LAG + 3, "refused near the bound: " + accepted);

        release.countDown();
        HttpResponse<String> again = post(url, "ping " + accepted);
        for (int i = 0; i < 1_000 && again.statusCode() == 503; i++) {
            Thread.sleep(10);
            again = post(url, "ping " + accepted);
        }
        assertEquals(202, again.statusCode(), "taken again once the partitions caught up");
        accepted++;

        List<String> pongs = awaitCommitted(node, accepted);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < accepted; i++) {
            expected.add("pong ping " + i);
        }
        assertEquals(expected, pongs, "every accepted ping once, in order; nothing of the refused one");
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The committed pongs once there are {@code count}, read again after 300 ms so that a duplicate shows. */
    private static List<String> awaitCommitted(StatorNode node, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> out = readCommitted(node);
        while (out.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
            out = readCommitted(node);
        }
        Thread.sleep(300);
        return readCommitted(node);
    }

    private static List<String> readCommitted(StatorNode node) throws Exception {
        List<String> out = new ArrayList<>();
        try (EgressReader reader = EgressReader.open(node.egressLogs().get(OUT), 0, true)) {
            while (reader.poll((offset, epoch, type, value) -> out.add(Types.stringType().deserialize(value)),
                    100) > 0) {
                // read them all
            }
        }
        return out;
    }
}
