package io.stator.runtime.remote;

import static io.stator.runtime.remote.RemoteTestSupport.idOnPartition;
import static io.stator.runtime.remote.RemoteTestSupport.strings;
import static io.stator.runtime.remote.RemoteTestSupport.stringsStartingWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.runtime.Clock;
import io.stator.runtime.InMemoryEgress;
import io.stator.runtime.ManualClock;
import io.stator.runtime.Stator;
import io.stator.runtime.internal.DeadLetters;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.TypeName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A function written with the OFFICIAL StateFun Java SDK 3.3.0 ({@link OfficialCounter}), hosted on 127.0.0.1
 * and driven by the whole Stator runtime (2 partitions): state across calls, the missing-state round trip,
 * state expiry, a message to an embedded function, delayed messages with cancellation, and egress.
 */
class OfficialSdkThroughRuntimeTest {
    private static final TypeName COUNTER = typeName(OfficialCounter.TYPE);
    private static final TypeName OUT = typeName(OfficialCounter.OUT);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private OfficialSdkHost host;
    private InMemoryEgress egress;

    @BeforeEach
    void startHost() throws Exception {
        host = new OfficialSdkHost(OfficialCounter.functions());
        egress = new InMemoryEgress();
    }

    @AfterEach
    void stopHost() {
        host.close();
    }

    /** The endpoint as a StateFun user writes it in module.yaml ({@code kind: io.statefun.endpoints.v2/http}). */
    private Stator start(Clock clock) {
        RemoteEndpointSpec endpoint = RemoteEndpointSpec.fromYaml(Map.of(
                "functions", "official/*",
                "urlPathTemplate", host.urlTemplate(),
                "transport", Map.of("type", "io.statefun.transports.v1/async", "call", "20s")));
        return Stator.builder().partitions(2).clock(clock).egress(egress)
                .withRemoteEndpoint(endpoint).withFunction(Recorder.SPEC).start();
    }

    private void send(Stator stator, String id, String command) {
        stator.send(MessageBuilder.forAddress(COUNTER, id).withValue(command).build());
    }

    /** Sends one command and waits for the report it produces (the {@code expectedReports}-th on OUT). */
    private String ask(Stator stator, String id, String command, int expectedReports) throws InterruptedException {
        send(stator, id, command);
        List<InMemoryEgress.Record> records = egress.await(OUT, expectedReports, WAIT);
        return strings(records).get(expectedReports - 1);
    }

    @Test
    void countsAcrossCallsMessagesAnEmbeddedFunctionAndEmitsThroughTheRuntime() throws Exception {
        try (Stator stator = start(Clock.SYSTEM)) {
            String alice = idOnPartition(stator, COUNTER, "alice", 0, 0);
            String bob = idOnPartition(stator, COUNTER, "bob", 1, 0);
            for (int i = 0; i < 3; i++) {
                send(stator, alice, "count");
            }
            send(stator, bob, "count");
            send(stator, bob, "count");

            egress.await(OUT, 5, WAIT);
            assertEquals(List.of(alice + " count=1", alice + " count=2", alice + " count=3"),
                    stringsStartingWith(egress, OUT, alice + " "), "state carries across calls and batches, in order");
            assertEquals(List.of(bob + " count=1", bob + " count=2"), stringsStartingWith(egress, OUT, bob + " "));

            egress.await(Recorder.SEEN, 5, WAIT);
            String fromAlice = "official/counter/" + alice + " -> " + alice + ": ";
            assertEquals(List.of(fromAlice + "hello #1", fromAlice + "hello #2", fromAlice + "hello #3"),
                    stringsStartingWith(egress, Recorder.SEEN, fromAlice), "the embedded function sees the caller");
            assertEquals(2, stringsStartingWith(egress, Recorder.SEEN, "official/counter/" + bob + " -> ").size());

            // Each partition learns the function's states once, from its first request; the rest carry them.
            assertEquals(2, host.missingStateReplies(), "one missing-state round trip per partition");
            assertEquals(alice + " seen=3 note=none", ask(stator, alice, "peek", 6));
            assertEquals(2, host.missingStateReplies(), "no round trip once the states are known");
        }
        assertEquals(0, egress.count(DeadLetters.EGRESS), () -> strings(egress.records(DeadLetters.EGRESS)).toString());
    }

    @Test
    void statesExpireAsTheOfficialSdkDeclaredThem() throws Exception {
        ManualClock clock = new ManualClock(1_000_000_000L);
        try (Stator stator = start(clock)) {
            assertEquals("carol count=1", ask(stator, "carol", "count", 1));
            assertEquals("carol noted hi", ask(stator, "carol", "note:hi", 2));
            // A reply's egress is emitted just before its state is written, with the clock read at that moment.
            // This peek's answer proves both writes are done, so moving the clock now cannot date them later.
            assertEquals("carol seen=1 note=hi", ask(stator, "carol", "peek", 3));

            clock.advance(Duration.ofSeconds(9));
            assertEquals("carol seen=1 note=hi", ask(stator, "carol", "peek", 4));

            clock.advance(Duration.ofSeconds(2));
            assertEquals("carol seen=1 note=none", ask(stator, "carol", "peek", 5),
                    "note expires 10 s after it was written, although it was read meanwhile");

            clock.advance(Duration.ofSeconds(59));
            assertEquals("carol seen=1 note=none", ask(stator, "carol", "peek", 6),
                    "seen lives on: every call (the peek 59 s ago) restarts its minute");

            clock.advance(Duration.ofSeconds(61));
            assertEquals("carol seen=none note=none", ask(stator, "carol", "peek", 7),
                    "seen expires a minute after the last call");
            assertEquals("carol count=1", ask(stator, "carol", "count", 8), "the count starts over");
        }
        assertEquals(0, egress.count(DeadLetters.EGRESS), () -> strings(egress.records(DeadLetters.EGRESS)).toString());
    }

    @Test
    void anArmedDelayedMessageArrivesAndADisarmedOneNever() throws Exception {
        try (Stator stator = start(Clock.SYSTEM)) {
            // b is due before a. Both live in dave's partition until they fire and go to the same recorder
            // address, so b, had it not been cancelled, would arrive before a (and before c). Its delay leaves
            // the disarm, one request later, a generous second to be applied in.
            send(stator, "dave", "arm:b:1000");
            send(stator, "dave", "disarm:b");
            send(stator, "dave", "arm:a:1200");
            egress.await(Recorder.SEEN, 1, WAIT);
            assertEquals(List.of("official/counter/dave -> dave: fired a"), strings(egress.records(Recorder.SEEN)));

            send(stator, "dave", "arm:c:300"); // c is due well after b would have fired: wait for it as well
            egress.await(Recorder.SEEN, 2, WAIT);
            assertEquals(List.of("official/counter/dave -> dave: fired a", "official/counter/dave -> dave: fired c"),
                    strings(egress.records(Recorder.SEEN)), "the disarmed message b never arrives");
            assertTrue(stator.counters().stream().allMatch(c -> c.delayedPending() == 0), "no timer is left behind");
        }
        assertEquals(0, egress.count(DeadLetters.EGRESS), () -> strings(egress.records(DeadLetters.EGRESS)).toString());
    }

    private static TypeName typeName(org.apache.flink.statefun.sdk.java.TypeName official) {
        return TypeName.typeNameOf(official.namespace(), official.name());
    }
}
