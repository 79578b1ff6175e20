package io.stator.runtime.remote;

import static io.stator.runtime.remote.RemoteTestSupport.idOnPartition;
import static io.stator.runtime.remote.RemoteTestSupport.strings;
import static io.stator.runtime.remote.RemoteTestSupport.stringsStartingWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.runtime.InMemoryEgress;
import io.stator.runtime.Stator;
import io.stator.runtime.internal.DeadLetters;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.TypeName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A remote function whose first requests fail with HTTP 500 is retried by the runtime: nothing lost, nothing doubled. */
class RemoteRetryThroughRuntimeTest {
    private static final TypeName FLAKY = TypeName.typeNameOf("flaky", "counter");
    private static final int ADDRESSES = 4;
    private static final int MESSAGES_PER_ADDRESS = 10;

    @Test
    void threeServerErrorsThenSuccessLoseAndDuplicateNothing() throws Exception {
        InMemoryEgress egress = new InMemoryEgress();
        List<String> ids = new ArrayList<>();
        try (FaultyFunctionHost host = FaultyFunctionHost.start(CountingFunction.spec(FLAKY), 3, Duration.ZERO)) {
            try (Stator stator = Stator.builder().partitions(2).egress(egress)
                    .withRemoteEndpoint(RemoteEndpointSpec.builder("flaky/*", host.urlTemplate())
                            .withCallTimeout(Duration.ofSeconds(20)).build())
                    .start()) {
                for (int i = 0; i < ADDRESSES; i++) {
                    ids.add(idOnPartition(stator, FLAKY, "a", i % 2, i / 2)); // both partitions
                }
                for (int m = 0; m < MESSAGES_PER_ADDRESS; m++) {
                    for (String id : ids) {
                        stator.send(MessageBuilder.forAddress(FLAKY, id).withValue(m).build());
                    }
                }
                egress.await(CountingFunction.OUT, ADDRESSES * MESSAGES_PER_ADDRESS, Duration.ofSeconds(20));
            } // close() drains the runtime: a late duplicate would be in the egress by now

            assertEquals(3, host.failures(), "the first three requests were answered with 500");
        }
        assertEquals(ADDRESSES * MESSAGES_PER_ADDRESS, egress.count(CountingFunction.OUT), "one record per message");
        List<String> expectedCounts = IntStream.rangeClosed(1, MESSAGES_PER_ADDRESS).mapToObj(String::valueOf).toList();
        for (String id : ids) {
            List<String> counts = stringsStartingWith(egress, CountingFunction.OUT, id + " ").stream()
                    .map(s -> s.substring(id.length() + 1)).toList();
            assertEquals(expectedCounts, counts, "address " + id + " counted every message exactly once, in order");
        }
        assertEquals(0, egress.count(DeadLetters.EGRESS), () -> strings(egress.records(DeadLetters.EGRESS)).toString());
    }
}
