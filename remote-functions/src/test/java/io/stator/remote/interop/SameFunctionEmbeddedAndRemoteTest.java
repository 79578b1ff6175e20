package io.stator.remote.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.remote.server.CounterFunction;
import io.stator.remote.server.RemoteFunctionServer;
import io.stator.remote.testkit.DispatcherDriver;
import io.stator.sdk.Address;
import io.stator.sdk.Message;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.Types;
import io.stator.sdk.testing.TestContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One Stator SDK function class, run in the SDK's test kit (as embedded) and over HTTP: same effects, same state. */
class SameFunctionEmbeddedAndRemoteTest {
    private static final List<String> INPUT = List.of("alice", "bob", "cancel", "carol");

    @Test
    void counterBehavesTheSameEmbeddedAndRemote() {
        TestContext embedded = TestContext.forFunction(CounterFunction.SPEC, "same");
        for (String text : INPUT) {
            embedded.invoke(MessageBuilder.forAddress(CounterFunction.TYPE, "same").withValue(text).build()).join();
        }
        List<String> embeddedSent = embedded.sentMessages().stream().map(Message::asUtf8String).toList();

        Address target = new Address(CounterFunction.TYPE, "same");
        try (RemoteFunctionServer server = RemoteFunctionServer.builder().withFunction(CounterFunction.SPEC).bind("127.0.0.1", 0).start();
             DispatcherDriver driver = new DispatcherDriver(List.of(
                     RemoteEndpointSpec.builder("example/*", server.baseUrl() + "{function.name}").build()))) {
            for (String text : INPUT) {
                driver.dispatcher.invoke(0, target, null, Types.STRING_TYPENAME, Types.stringType().serialize(text));
            }
            driver.drainUntilIdle(20);

            assertEquals(embeddedSent, driver.effects.sent.stream().map(s -> s.message().asUtf8String()).toList());
            assertArrayEquals(Types.intType().serialize(embedded.storage().get(CounterFunction.SEEN).orElseThrow()),
                    driver.state.value(target, "seen"));
            assertEquals(embedded.storage().get(CounterFunction.NAME).orElseThrow(),
                    Types.stringType().deserialize(driver.state.value(target, "name")));
            assertEquals(embedded.sentEgressMessages().size(), driver.effects.egress.size());
            assertEquals(1, driver.effects.delayed.stream().filter(d -> !d.isCancellation()).count());
            assertEquals(1, driver.effects.delayed.stream().filter(d -> d.isCancellation()).count());
            assertEquals(0, embedded.pendingDelayedMessages().size(), "the reminder was cancelled embedded too");
        }
    }
}
