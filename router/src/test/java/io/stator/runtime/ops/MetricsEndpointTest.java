package io.stator.runtime.ops;

import static io.stator.runtime.ops.OpsFunctions.COUNTER;
import static io.stator.runtime.ops.OpsFunctions.FORWARDER;
import static io.stator.runtime.ops.OpsFunctions.OUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stator.runtime.InMemoryEgress;
import io.stator.runtime.Stator;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.TypeName;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code GET /metrics} and {@code GET /v1/status} against a running runtime (2 partition threads): the counters
 * move while messages flow and, once the workload is done, agree exactly with what was sent.
 */
class MetricsEndpointTest {
    private static final int TO_COUNTER = 400;
    private static final int TO_FORWARDER = 100;
    private static final int CHUNK = 50;
    private static final String COUNTER_LABEL = COUNTER.asString();

    private InMemoryEgress egress;
    private Stator stator;
    private OpsTestServer server;

    @BeforeEach
    void start() {
        egress = new InMemoryEgress();
        stator = Stator.builder().partitions(2).maxParallelism(16).egress(egress)
                .withFunction(OpsFunctions.COUNTER_SPEC).withFunction(OpsFunctions.FORWARDER_SPEC).start();
        server = new OpsTestServer(OpsSources.of(stator), OpsOptions.defaults());
    }

    @AfterEach
    void stop() {
        server.close();
        stator.close();
    }

    private void send(TypeName type, int from, int to) {
        for (int i = from; i < to; i++) {
            stator.send(MessageBuilder.forAddress(type, "id-" + (i % 37)).withValue("m" + i).build());
        }
    }

    private Scrape scrape() throws Exception {
        HttpResponse<String> response = server.get("/metrics");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        return Scrape.parse(response.body());
    }

    private static void awaitOneScrape(Semaphore scraped) throws InterruptedException {
        if (!scraped.tryAcquire(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no scrape within 20 s");
        }
    }

    /** Scrapes until {@code done} holds (the last counter updates land just after the egress record). */
    private Scrape awaitScrape(String what, Predicate<Scrape> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Scrape last = scrape();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                fail("the metrics never showed " + what);
            }
            Thread.sleep(20);
            last = scrape();
        }
        return last;
    }

    @Test
    void countersMoveWhileMessagesFlowAndAgreeWithWhatWasSent() throws Exception {
        send(COUNTER, 0, TO_COUNTER / 2);
        egress.await(OUT, TO_COUNTER / 2, Duration.ofSeconds(20));
        Scrape half = awaitScrape("the first half", s -> s.sum("stator_function_messages_in_total", "function", COUNTER_LABEL)
                == TO_COUNTER / 2);

        // The workload sends in chunks and waits for a scrape between chunks, so scrapes interleave with the sending
        // however fast or slow the machine is.
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Semaphore scraped = new Semaphore(0);
        Thread workload = new Thread(() -> {
            try {
                for (int from = TO_COUNTER / 2; from < TO_COUNTER; from += CHUNK) {
                    send(COUNTER, from, from + CHUNK);
                    awaitOneScrape(scraped);
                }
                for (int from = 0; from < TO_FORWARDER; from += CHUNK) {
                    send(FORWARDER, from, from + CHUNK);
                    awaitOneScrape(scraped);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "ops-test-workload");
        workload.start();
        double previous = half.sum("stator_partition_messages_processed_total");
        int scrapesDuringWorkload = 0;
        while (workload.isAlive() && scrapesDuringWorkload < 1_000) {
            double processed = scrape().sum("stator_partition_messages_processed_total");
            assertTrue(processed >= previous, "a counter went backwards: " + processed + " < " + previous);
            previous = processed;
            scrapesDuringWorkload++;
            scraped.release();
        }
        workload.join(20_000);
        assertEquals(null, failure.get());
        int chunks = (TO_COUNTER / 2 + TO_FORWARDER) / CHUNK;
        assertTrue(scrapesDuringWorkload >= chunks - 1, "only " + scrapesDuringWorkload + " scrapes while the workload ran");

        int total = TO_COUNTER + TO_FORWARDER;
        egress.await(OUT, total, Duration.ofSeconds(20));
        Scrape done = awaitScrape("every call complete", s ->
                s.sum("stator_function_invocation_seconds_count", "function", COUNTER_LABEL) == total
                        && s.sum("stator_function_messages_out_total", "function", COUNTER_LABEL, "to", "egress") == total);

        assertTrue(done.sum("stator_partition_messages_processed_total") > half.sum("stator_partition_messages_processed_total"));
        assertEquals(total, done.value("stator_function_messages_in_total", "function", COUNTER_LABEL, "kind", "embedded"));
        assertEquals(TO_FORWARDER, done.value("stator_function_messages_in_total", "function", FORWARDER.asString()));
        assertEquals(TO_FORWARDER, done.sum("stator_function_messages_out_total", "function", FORWARDER.asString(), "to", "local")
                + done.sum("stator_function_messages_out_total", "function", FORWARDER.asString(), "to", "remote"));
        assertEquals(total, done.value("stator_function_messages_out_total", "function", COUNTER_LABEL, "to", "egress"));
        assertEquals(total + TO_FORWARDER, done.sum("stator_partition_messages_processed_total"));
        assertEquals(total, done.sum("stator_partition_egress_records_total"));
        assertEquals(0, done.value("stator_dead_letters_total"));
        assertEquals(2, done.value("stator_partitions"));
        assertEquals(2, done.select("stator_partition_inbox_depth_bytes").size());
    }

    @Test
    void theLatencyHistogramIsCumulativeAndEndsInItsCount() throws Exception {
        send(COUNTER, 0, 50);
        egress.await(OUT, 50, Duration.ofSeconds(20));
        Scrape s = awaitScrape("50 calls", x -> x.sum("stator_function_invocation_seconds_count", "function", COUNTER_LABEL) == 50);

        assertEquals("histogram", s.types.get("stator_function_invocation_seconds"));
        List<Scrape.Sample> buckets = s.select("stator_function_invocation_seconds_bucket", "function", COUNTER_LABEL);
        double last = 0;
        double lastBound = 0;
        for (Scrape.Sample b : buckets) {
            double bound = b.labels().get("le").equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(b.labels().get("le"));
            assertTrue(bound > lastBound, "le bounds must grow: " + buckets);
            assertTrue(b.value() >= last, "bucket counts must be cumulative: " + buckets);
            last = b.value();
            lastBound = bound;
        }
        assertEquals(Double.POSITIVE_INFINITY, lastBound);
        assertEquals(50, last);
        assertTrue(s.value("stator_function_invocation_seconds_sum", "function", COUNTER_LABEL) > 0);
    }

    @Test
    void theStatusDocumentCarriesPartitionsFunctionsAndCounts() throws Exception {
        send(COUNTER, 0, 20);
        egress.await(OUT, 20, Duration.ofSeconds(20));

        HttpResponse<String> response = server.get("/v1/status");

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        Map<String, Object> status = json(response.body());
        assertEquals(2, ((List<?>) status.get("partitions")).size());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> functions = (List<Map<String, Object>>) status.get("functions");
        Map<String, Object> counter = functions.stream().filter(f -> COUNTER_LABEL.equals(f.get("type"))).findFirst()
                .orElseThrow();
        assertEquals(20, ((Number) counter.get("messagesIn")).intValue());
        assertEquals("embedded", counter.get("kind"));
        assertEquals(40, ((List<?>) ((Map<?, ?>) counter.get("latency")).get("buckets")).size());
        assertEquals(List.of(), status.get("snapshots"));
        assertEquals(null, status.get("ingress"));
    }

    @Test
    void onlyGetIsAnswered() throws Exception {
        assertEquals(405, server.post("/metrics", "x").statusCode());
        assertEquals(405, server.post("/v1/status", "x").statusCode());
        assertEquals(404, server.get("/metrics/extra").statusCode());
    }

    /** JSON is YAML: snakeyaml reads the document without a JSON library. */
    static Map<String, Object> json(String text) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    }
}
