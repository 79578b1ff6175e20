package io.stator.runtime.remote;

import static io.stator.runtime.remote.RemoteTestSupport.awaitCondition;
import static io.stator.runtime.remote.RemoteTestSupport.idOnPartition;
import static io.stator.runtime.remote.RemoteTestSupport.strings;
import static io.stator.runtime.remote.RemoteTestSupport.stringsStartingWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.remote.server.RemoteFunctionServer;
import io.stator.runtime.InMemoryEgress;
import io.stator.runtime.Stator;
import io.stator.runtime.internal.DeadLetters;
import io.stator.runtime.internal.PartitionCounters;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A remote function that never answers costs only its own messages: they go to the dead-letter egress once the
 * endpoint's call timeout is spent, one record per message, while a healthy function on the same partitions keeps
 * being served.
 */
class StuckRemoteFunctionTest {
    private static final TypeName STUCK = TypeName.typeNameOf("stuck", "fn");
    private static final TypeName HEALTHY = TypeName.typeNameOf("healthy", "counter");
    private static final int STUCK_ADDRESSES = 2;
    private static final int MESSAGES_PER_STUCK_ADDRESS = 3;
    private static final int HEALTHY_ADDRESSES = 4;
    private static final int MESSAGES_PER_HEALTHY_ADDRESS = 5;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aHungFunctionsMessagesAreDeadLetteredWhileAnotherFunctionKeepsFlowing() throws Exception {
        InMemoryEgress egress = new InMemoryEgress();
        List<String> stuckIds = new ArrayList<>();
        List<String> healthyIds = new ArrayList<>();
        try (SilentServer silent = new SilentServer();
             RemoteFunctionServer healthy = RemoteFunctionServer.builder()
                     .withFunction(CountingFunction.spec(HEALTHY)).bind("127.0.0.1", 0).start()) {
            // As in module.yaml: the hung endpoint gets a short call budget (retries included).
            RemoteEndpointSpec stuckEndpoint = RemoteEndpointSpec.fromYaml(Map.of(
                    "functions", "stuck/*",
                    "urlPathTemplate", silent.urlTemplate(),
                    "transport", Map.of("type", "io.statefun.transports.v1/async", "call", "3s")));
            try (Stator stator = Stator.builder().partitions(2).egress(egress)
                    .withRemoteEndpoint(stuckEndpoint)
                    .withRemoteEndpoint(RemoteEndpointSpec.builder("healthy/*", healthy.baseUrl() + "{function.name}").build())
                    .start()) {
                for (int i = 0; i < STUCK_ADDRESSES; i++) {
                    stuckIds.add(idOnPartition(stator, STUCK, "s", i % 2, i / 2));
                }
                for (int i = 0; i < HEALTHY_ADDRESSES; i++) {
                    healthyIds.add(idOnPartition(stator, HEALTHY, "h", i % 2, i / 2)); // next to the stuck ones
                }
                for (int m = 0; m < MESSAGES_PER_STUCK_ADDRESS; m++) {
                    for (String id : stuckIds) {
                        stator.send(MessageBuilder.forAddress(STUCK, id).withValue("lost " + m).build());
                    }
                }
                awaitCondition("each stuck address has a request hanging", WAIT.toMillis(),
                        () -> silent.requests() >= STUCK_ADDRESSES);

                // While those calls hang, one healthy round trip completes. (The one bound in this test: that round
                // trip, a few milliseconds normally, has the stuck calls' 3 s budget to finish in.)
                stator.send(MessageBuilder.forAddress(HEALTHY, healthyIds.get(0)).withValue("first").build());
                egress.await(CountingFunction.OUT, 1, WAIT);
                assertEquals(0, egress.count(DeadLetters.EGRESS),
                        "the healthy function was served while the stuck calls were still waiting for a reply");
                // ...and so does everything else sent to it.
                for (int m = 0; m < MESSAGES_PER_HEALTHY_ADDRESS; m++) {
                    for (int i = m == 0 ? 1 : 0; i < HEALTHY_ADDRESSES; i++) {
                        stator.send(MessageBuilder.forAddress(HEALTHY, healthyIds.get(i)).withValue("m" + m).build());
                    }
                }
                egress.await(CountingFunction.OUT, HEALTHY_ADDRESSES * MESSAGES_PER_HEALTHY_ADDRESS, WAIT);

                int stuckMessages = STUCK_ADDRESSES * MESSAGES_PER_STUCK_ADDRESS;
                List<String> dead = strings(egress.await(DeadLetters.EGRESS, stuckMessages, WAIT));
                assertEquals(stuckMessages, dead.size(), () -> "one dead letter per stuck message: " + dead);
                for (String id : stuckIds) {
                    for (int m = 0; m < MESSAGES_PER_STUCK_ADDRESS; m++) {
                        assertEquals(1, countMatching(dead, "\"address\":\"stuck/fn/" + id + "\"",
                                "lost " + m), "dead letters of stuck/fn/" + id + " 'lost " + m + "': " + dead);
                    }
                }
                for (String letter : dead) {
                    assertTrue(letter.contains("\"reason\":\"POST " + silent.urlTemplate().replace("{function.name}", "fn")
                            + " failed: "), letter);
                    assertTrue(letter.contains("timeout"), "the reason names the timeout: " + letter);
                }
                assertEquals(stuckMessages, stator.counters().stream().mapToLong(PartitionCounters::deadLettered).sum());
                assertTrue(silent.requests() >= 2 * STUCK_ADDRESSES, "a first batch and then the backlog were tried: "
                        + silent.requests() + " requests");
            }
        }
        assertEquals(HEALTHY_ADDRESSES * MESSAGES_PER_HEALTHY_ADDRESS, egress.count(CountingFunction.OUT),
                "no healthy message was lost or doubled");
        List<String> expectedCounts = IntStream.rangeClosed(1, MESSAGES_PER_HEALTHY_ADDRESS).mapToObj(String::valueOf).toList();
        for (String id : healthyIds) {
            assertEquals(expectedCounts, stringsStartingWith(egress, CountingFunction.OUT, id + " ").stream()
                    .map(s -> s.substring(id.length() + 1)).toList(), "healthy/counter/" + id + " counted exactly");
        }
    }

    /** @return how many dead letters name {@code address} and carry {@code value} (a string message) */
    private static long countMatching(List<String> letters, String address, String value) {
        String encoded = Base64.getEncoder().encodeToString(Types.stringType().serialize(value));
        return letters.stream().filter(l -> l.contains(address) && l.contains("\"valueBase64\":\"" + encoded + "\"")).count();
    }
}
