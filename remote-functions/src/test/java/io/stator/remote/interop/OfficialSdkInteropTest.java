package io.stator.remote.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.remote.client.RemoteCounter;
import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.remote.testkit.DispatcherDriver;
import io.stator.remote.testkit.OfficialSdkHost;
import io.stator.remote.testkit.RecordingEffects;
import io.stator.sdk.Address;
import io.stator.sdk.Expiration;
import io.stator.sdk.Types;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.statefun.sdk.java.Context;
import org.apache.flink.statefun.sdk.java.StatefulFunction;
import org.apache.flink.statefun.sdk.java.StatefulFunctionSpec;
import org.apache.flink.statefun.sdk.java.StatefulFunctions;
import org.apache.flink.statefun.sdk.java.TypeName;
import org.apache.flink.statefun.sdk.java.ValueSpec;
import org.apache.flink.statefun.sdk.java.message.EgressMessageBuilder;
import org.apache.flink.statefun.sdk.java.message.Message;
import org.apache.flink.statefun.sdk.java.message.MessageBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A function written with the OFFICIAL Apache Flink StateFun Java SDK 3.3.0, hosted behind a JDK HTTP server,
 * driven by Stator's {@code RemoteDispatcher}: state across calls, TTL specs, the missing-state round trip,
 * messages, delayed messages with cancellation, and egress.
 */
class OfficialSdkInteropTest {
    static final TypeName COUNTER = TypeName.typeNameOf("example", "counter");
    static final TypeName GREETER = TypeName.typeNameOf("example", "greeter");
    static final TypeName OUT = TypeName.typeNameOf("example", "out");
    static final ValueSpec<Integer> SEEN = ValueSpec.named("seen").thatExpiresAfterCall(Duration.ofDays(1)).withIntType();
    static final ValueSpec<String> NAME = ValueSpec.named("name").thatExpireAfterWrite(Duration.ofMinutes(5)).withUtf8StringType();
    static final ValueSpec<Long> TOTAL = ValueSpec.named("total").withLongType();

    /** Official-SDK function: counts, remembers, greets, emits, and schedules or cancels a reminder. */
    static final class OfficialCounter implements StatefulFunction {
        @Override
        public CompletableFuture<Void> apply(Context context, Message message) {
            String text = message.asUtf8String();
            int seen = context.storage().get(SEEN).orElse(0) + 1;
            context.storage().set(SEEN, seen);
            context.storage().set(NAME, text);
            context.storage().set(TOTAL, context.storage().get(TOTAL).orElse(0L) + text.length());
            String from = context.caller().map(a -> a.type().asTypeNameString() + "/" + a.id()).orElse("nobody");
            context.send(MessageBuilder.forAddress(GREETER, text).withValue("hello " + text + " #" + seen + " from " + from).build());
            context.send(EgressMessageBuilder.forEgress(OUT).withValue(text + ":" + seen).build());
            if (text.equals("later")) {
                context.sendAfter(Duration.ofSeconds(2), "reminder",
                        MessageBuilder.forAddress(context.self()).withValue("remind").build());
            }
            if (text.equals("cancel")) {
                context.cancelDelayedMessage("reminder");
                context.storage().remove(TOTAL);
            }
            return context.done();
        }
    }

    private OfficialSdkHost host;
    private DispatcherDriver driver;
    private final Address target = Address.of("example", "counter", "alice");

    @BeforeEach
    void start() throws Exception {
        host = new OfficialSdkHost(new StatefulFunctions().withStatefulFunction(StatefulFunctionSpec.builder(COUNTER)
                .withValueSpecs(SEEN, NAME, TOTAL).withSupplier(OfficialCounter::new)));
        driver = new DispatcherDriver(List.of(RemoteEndpointSpec.builder("example/*", host.urlTemplate()).build()));
    }

    @AfterEach
    void stop() {
        driver.close();
        host.close();
    }

    private void invoke(Address caller, String text) {
        driver.dispatcher.invoke(11, target, caller, Types.STRING_TYPENAME, Types.stringType().serialize(text));
        driver.drainUntilIdle(20);
    }

    @Test
    void stateMessagesTtlDelayedAndEgressRoundTripWithTheOfficialSdk() {
        invoke(null, "bob");

        assertEquals(1, driver.dispatcher.count(RemoteCounter.STATE_ROUND_TRIPS), "specs learned in one round trip");
        assertEquals(2, host.requests());
        assertArrayEquals(Types.intType().serialize(1), driver.state.value(target, "seen"));
        assertEquals("bob", Types.stringType().deserialize(driver.state.value(target, "name")));
        assertEquals(Expiration.expireAfterCall(Duration.ofDays(1)), driver.state.spec(target, "seen").expiration());
        assertEquals(Expiration.expireAfterWrite(Duration.ofMinutes(5)), driver.state.spec(target, "name").expiration());
        assertEquals(Expiration.none(), driver.state.spec(target, "total").expiration());
        assertEquals(Types.LONG_TYPENAME, driver.state.spec(target, "total").typeName());

        RecordingEffects effects = driver.effects;
        assertEquals(target, effects.sent.get(0).from());
        assertEquals("example/greeter/bob", effects.sent.get(0).message().targetAddress().toString());
        assertEquals("hello bob #1 from nobody", effects.sent.get(0).message().asUtf8String());
        assertEquals("example/out", effects.egress.get(0).message().egressId().toString());
        assertEquals("bob:1", Types.stringType().deserialize(effects.egress.get(0).message().rawValue()));

        invoke(Address.of("example", "friend", "f1"), "later");

        assertEquals(3, host.requests(), "state is known now: no more round trips");
        assertArrayEquals(Types.intType().serialize(2), driver.state.value(target, "seen"));
        assertEquals(8L, Types.longType().deserialize(driver.state.value(target, "total")));
        assertEquals("hello later #2 from example/friend/f1", effects.sent.get(1).message().asUtf8String());
        RecordingEffects.Delayed reminder = effects.delayed.get(0);
        assertEquals(target, reminder.from());
        assertEquals(Duration.ofSeconds(2), reminder.delay());
        assertEquals("reminder", reminder.token());
        assertEquals(target, reminder.message().targetAddress());
        assertEquals("remind", reminder.message().asUtf8String());

        invoke(null, "cancel");

        RecordingEffects.Delayed cancellation = effects.delayed.get(1);
        assertTrue(cancellation.isCancellation());
        assertEquals("reminder", cancellation.token());
        assertNull(driver.state.value(target, "total"), "removed state is deleted");
        assertArrayEquals(Types.intType().serialize(3), driver.state.value(target, "seen"));
        assertTrue(effects.deadLetters.isEmpty());
    }

    @Test
    void aBatchOfQueuedMessagesRunsInOrderInTheOfficialSdk() {
        for (String name : List.of("a", "bb", "ccc")) {
            driver.dispatcher.invoke(11, target, null, Types.STRING_TYPENAME, Types.stringType().serialize(name));
        }
        driver.drainUntilIdle(20);

        assertArrayEquals(Types.intType().serialize(3), driver.state.value(target, "seen"));
        assertEquals(List.of("hello a #1 from nobody", "hello bb #2 from nobody", "hello ccc #3 from nobody"),
                driver.effects.sent.stream().map(s -> s.message().asUtf8String()).toList());
        assertEquals(6L, Types.longType().deserialize(driver.state.value(target, "total")));
    }
}
