package io.stator.runtime.ops;

import static io.stator.runtime.ops.OpsFunctions.COUNTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stator.runtime.Stator;
import io.stator.runtime.StatorNode;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics of a whole node on a data folder (RocksDB state, Chronicle ingress and egress logs), fed through
 * its HTTP ingress: state, ingress, egress and epoch metrics appear and move.
 */
class NodeMetricsTest {
    private static final int MESSAGES = 24;
    private static final TypeName GATE = TypeName.typeNameOf("test", "gate");

    @TempDir
    Path data;

    @Test
    void aNodeReportsStateIngressAndEgressMetrics() throws Exception {
        try (StatorNode node = StatorNode.start(Stator.builder().partitions(2).maxParallelism(16)
                .snapshotInterval(Duration.ofMillis(100)).withFunction(OpsFunctions.COUNTER_SPEC), data, "127.0.0.1", 0);
             OpsTestServer ops = new OpsTestServer(OpsSources.of(node), OpsOptions.defaults())) {
            for (int i = 0; i < MESSAGES; i++) {
                HttpResponse<String> r = OpsTestServer.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + node.port() + "/v1/ingress/test/counter/id-" + (i % 7)))
                        .POST(HttpRequest.BodyPublishers.ofString("m" + i)).build());
                assertEquals(202, r.statusCode(), r.body());
            }

            Scrape s = awaitScrape(ops, "all messages processed and their egress committed", x ->
                    x.sum("stator_function_messages_in_total", "function", COUNTER.asString()) == MESSAGES
                            && !x.select("stator_egress_last_committed_epoch", "egress", "test/out").isEmpty()
                            && x.value("stator_egress_last_committed_epoch", "egress", "test/out") >= 1);

            assertTrue(s.value("stator_ingress_end_position") > 0);
            assertTrue(s.value("stator_egress_end_offset", "egress", "test/out") >= MESSAGES);
            assertTrue(s.value("stator_committed_epoch") >= 1);
            assertEquals(2, s.select("stator_state_cache_hits_total").size(), "state metrics per partition");
            assertTrue(s.sum("stator_state_cache_hits_total") + s.sum("stator_state_cache_misses_total") >= MESSAGES,
                    "every call read its state");
            Scrape snapshotted = awaitScrape(ops, "a completed snapshot", x -> x.value("stator_snapshot_last_id") >= 1);
            assertTrue(snapshotted.value("stator_snapshot_last_duration_seconds") > 0);
            assertTrue(snapshotted.value("stator_snapshot_last_completed_timestamp_seconds") > 0);
            assertEquals(2, snapshotted.select("stator_partition_snapshots_completed_total").size());
            assertEquals(2, s.select("stator_state_rocksdb_live_sst_bytes").size());

            HttpResponse<String> savepoint = ops.post("/v1/admin/savepoints?name=before-upgrade", "");
            assertEquals(200, savepoint.statusCode(), savepoint.body());
            Path folder = Path.of((String) MetricsEndpointTest.json(savepoint.body()).get("savepoint"));
            assertEquals(data.resolve("savepoints").resolve("before-upgrade").toAbsolutePath(), folder);
            assertTrue(java.nio.file.Files.isDirectory(folder));
            assertEquals(400, ops.post("/v1/admin/savepoints?name=before-upgrade", "").statusCode(), "the name is taken");

            Map<String, Object> status = MetricsEndpointTest.json(ops.get("/v1/status").body());
            assertTrue(((Number) ((Map<?, ?>) status.get("ingress")).get("endPosition")).longValue() > 0);
            assertTrue(((java.util.List<?>) status.get("egress")).stream()
                    .anyMatch(e -> "test/out".equals(((Map<?, ?>) e).get("egress"))), status.get("egress").toString());
            Map<?, ?> snapshot = (Map<?, ?>) status.get("snapshot");
            assertTrue(((Number) snapshot.get("lastId")).longValue() >= 1);
            long completed = ((Number) snapshot.get("completed")).longValue();
            long mean = ((Number) snapshot.get("meanDurationNanos")).longValue();
            long max = ((Number) snapshot.get("maxDurationNanos")).longValue();
            assertTrue(completed >= 1 && mean > 0 && max >= mean && max >= ((Number) snapshot.get("durationNanos"))
                    .longValue(), snapshot.toString());
            assertTrue(((Number) snapshot.get("heldNanos")).longValue() >= 0, snapshot.toString());
            assertTrue(s.value("stator_snapshot_held_seconds_total") >= 0);
        }
    }

    /**
     * The process's figures an operator watches beside the runtime's: descriptors (which the connection bound
     * protects) go up by the connections a client holds open, CPU and collections count up, the heap is within
     * its limit.
     */
    @Test
    void aNodeReportsItsProcessAndJvm() throws Exception {
        try (StatorNode node = StatorNode.start(Stator.builder().partitions(2).maxParallelism(16)
                .withFunction(OpsFunctions.COUNTER_SPEC), data, "127.0.0.1", 0);
             OpsTestServer ops = new OpsTestServer(OpsSources.of(node), OpsOptions.defaults())) {
            Scrape before = Scrape.parse(ops.get("/metrics").body());
            assertEquals("counter", before.types.get("process_cpu_seconds_total"));
            double openBefore = before.value("process_open_fds");
            assertTrue(openBefore > 0 && openBefore < before.value("process_max_fds"), "open " + openBefore);
            assertEquals(Runtime.getRuntime().maxMemory(), before.value("jvm_memory_max_bytes", "area", "heap"));
            double heap = before.value("jvm_memory_used_bytes", "area", "heap");
            assertTrue(heap > 0 && heap <= before.value("jvm_memory_max_bytes", "area", "heap"), "heap " + heap);
            assertTrue(before.value("process_resident_memory_bytes") > heap / 4, "a resident set of a live JVM");
            assertTrue(before.value("jvm_threads_current") >= 2, "two partition threads at least");
            assertTrue(before.value("process_start_time_seconds") * 1000 <= System.currentTimeMillis());

            java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    held.add(new java.net.Socket("127.0.0.1", node.port())); // each: a descriptor here and one there
                }
                long spinUntil = cpuNanos() + 200_000_000L;
                long sink = 0;
                while (cpuNanos() < spinUntil) {
                    sink += Long.numberOfTrailingZeros(sink + System.nanoTime());
                }
                System.gc();
                Scrape after = awaitScrape(ops, "the held connections accepted", x ->
                        x.value("process_open_fds") >= openBefore + 40);
                assertTrue(after.value("process_cpu_seconds_total") - before.value("process_cpu_seconds_total") >= 0.2,
                        "the test thread's 0.2 s of CPU counted (" + sink + ")");
                assertTrue(after.sum("jvm_gc_collections_total") > before.sum("jvm_gc_collections_total"),
                        "System.gc() counted");
            } finally {
                for (java.net.Socket s : held) {
                    s.close();
                }
            }
        }
    }

    private static long cpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /**
     * {@code GET /v1/health} on a node: ok while snapshots complete (an idle node's too), 503 "failing" once a call
     * stuck in a partition has held every snapshot back for longer than the check allows (no output commits), ok
     * again once the call returns.
     */
    @Test
    void theHealthCheckFailsWhileAStuckCallHoldsBackTheSnapshots() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        StatefulFunctionSpec gate = StatefulFunctionSpec.builder(GATE).withSupplier(() -> (StatefulFunction) (c, m) -> {
            entered.countDown();
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the gate");
            }
            return StatefulFunction.DONE;
        }).build();
        try (StatorNode node = StatorNode.start(Stator.builder().partitions(1).withFunction(gate)
                .snapshotInterval(Duration.ofMillis(100)), data, "127.0.0.1", 0);
             OpsTestServer ops = new OpsTestServer(OpsSources.of(node), OpsOptions.defaults()
                     .healthSnapshotAge(Duration.ofMillis(1_500)))) {
            assertEquals(200, OpsTestServer.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                    + "/v1/health")).GET().build()).statusCode(), "the node serves its own check");
            Thread.sleep(2_000); // idle for longer than the check's age: snapshots go on without input
            HttpResponse<String> idle = ops.get("/v1/health");
            assertEquals(200, idle.statusCode(), idle.body());
            assertEquals("{\"status\":\"ok\",\"problems\":[]}", idle.body().strip());
            try {
                post(node, "/v1/ingress/test/gate/g", "stuck");
                assertTrue(entered.await(30, TimeUnit.SECONDS));
                HttpResponse<String> stuck = awaitHealth(ops, 503);
                assertTrue(stuck.body().startsWith("{\"status\":\"failing\",\"problems\":[\"no snapshot has completed"
                        + " for "), stuck.body());
            } finally {
                release.countDown();
            }
            assertEquals("{\"status\":\"ok\",\"problems\":[]}", awaitHealth(ops, 200).body().strip());
        }
    }

    private static HttpResponse<String> awaitHealth(OpsTestServer ops, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> r = ops.get("/v1/health");
            if (r.statusCode() == status) {
                return r;
            }
            assertTrue(System.nanoTime() < deadline, "the health check never answered " + status + ": " + r.body());
            Thread.sleep(50);
        }
    }

    @Test
    void theIngressLagCountsTheDocumentsABlockedPartitionHasNotRead() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        StatefulFunctionSpec gate = StatefulFunctionSpec.builder(GATE).withSupplier(() -> (StatefulFunction) (c, m) -> {
            if (m.asUtf8String().equals("block")) {
                entered.countDown();
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the gate");
                }
            }
            return StatefulFunction.DONE;
        }).build();
        try (StatorNode node = StatorNode.start(Stator.builder().partitions(1).withFunction(gate), data, "127.0.0.1", 0)) {
            try {
                post(node, "/v1/ingress/test/gate/g", "block");
                assertTrue(entered.await(30, TimeUnit.SECONDS), "the partition runs the blocking message");
                for (int i = 0; i < 4; i++) {
                    post(node, "/v1/ingress/test/gate/g", "m" + i);
                }
                String batch = "{\"function\":\"test/gate\",\"id\":\"g\",\"value\":\"a\"}\n".repeat(3);
                post(node, "/v1/ingress", batch);

                // The position a partition publishes moves at the end of a duty cycle: the running document counts.
                assertEquals(6, Scrape.parse(get(node, "/metrics")).value("stator_ingress_lag_positions", "partition",
                        "0"), "the running record, then four records and a batch of three");
                Map<?, ?> partition = (Map<?, ?>) ((java.util.List<?>) MetricsEndpointTest.json(get(node, "/v1/status"))
                        .get("partitions")).get(0);
                assertEquals(6, ((Number) partition.get("ingressLag")).longValue());
            } finally {
                release.countDown();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (Scrape.parse(get(node, "/metrics")).value("stator_ingress_lag_positions", "partition", "0") != 0) {
                assertTrue(System.nanoTime() < deadline, "the partition never caught up");
                Thread.sleep(20);
            }
        }
    }

    private static String get(StatorNode node, String path) throws Exception {
        return OpsTestServer.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)).build())
                .body();
    }

    private static void post(StatorNode node, String path, String body) throws Exception {
        HttpResponse<String> r = OpsTestServer.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                + path)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertEquals(202, r.statusCode(), r.body());
    }

    private static Scrape awaitScrape(OpsTestServer ops, String what, java.util.function.Predicate<Scrape> done)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Scrape s = Scrape.parse(ops.get("/metrics").body());
            if (done.test(s)) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                fail("the metrics never showed " + what);
            }
            Thread.sleep(50);
        }
    }
}
