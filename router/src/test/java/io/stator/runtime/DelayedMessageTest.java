package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.runtime.internal.DeadLetters;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delayed messages fire at the right virtual time; cancelled ones never fire. Deterministic: INVOKER mode. */
class DelayedMessageTest {
    static final TypeName TIMER = TypeName.typeNameOf("test", "timer");
    static final TypeName TARGET = TypeName.typeNameOf("test", "target");
    static final TypeName FIRED = TypeName.typeNameOf("test", "fired");

    /** "schedule:<token>:<millis>", "plain:<millis>", "cancel:<token>" */
    static final StatefulFunction TIMERS = (ctx, msg) -> {
        String[] cmd = msg.asUtf8String().split(":");
        switch (cmd[0]) {
            case "schedule" -> ctx.sendAfter(Duration.ofMillis(Long.parseLong(cmd[2])), cmd[1],
                    MessageBuilder.forAddress(TARGET, "t").withValue(cmd[1]).build());
            case "plain" -> ctx.sendAfter(Duration.ofMillis(Long.parseLong(cmd[1])),
                    MessageBuilder.forAddress(TARGET, "t").withValue("plain").build());
            case "cancel" -> ctx.cancelDelayedMessage(cmd[1]);
            case "rearm" -> { // "rearm:<token>:<millis>": a cart's idle expiry, moved on
                ctx.cancelDelayedMessage(cmd[1]);
                ctx.sendAfter(Duration.ofMillis(Long.parseLong(cmd[2])), cmd[1],
                        MessageBuilder.forAddress(TARGET, "t").withValue(cmd[1]).build());
            }
            case "twice" -> { // "twice:<token>": the same token twice in one call
                for (int i = 0; i < 2; i++) {
                    ctx.sendAfter(Duration.ofMillis(10), cmd[1], MessageBuilder.forAddress(TARGET, "t").withValue(cmd[1]).build());
                }
            }
            default -> throw new IllegalArgumentException("unknown command " + cmd[0]);
        }
        return StatefulFunction.DONE;
    };

    static final StatefulFunction RECORDS = (ctx, msg) -> {
        String from = ctx.caller().map(Object::toString).orElse("none");
        ctx.send(EgressMessageBuilder.forEgress(FIRED).withValue(msg.asUtf8String() + " from " + from).build());
        return StatefulFunction.DONE;
    };

    private ManualClock clock;
    private InMemoryEgress egress;
    private Stator stator;

    @BeforeEach
    void start() {
        clock = new ManualClock(1_700_000_000_000L);
        egress = new InMemoryEgress();
        stator = Stator.builder()
                .partitions(2)
                .maxParallelism(8)
                .threadingMode(ThreadingMode.INVOKER)
                .clock(clock)
                .egress(egress)
                .withFunction(StatefulFunctionSpec.builder(TIMER).withSupplier(() -> TIMERS).build())
                .withFunction(StatefulFunctionSpec.builder(TARGET).withSupplier(() -> RECORDS).build())
                .start();
    }

    @org.junit.jupiter.api.AfterEach
    void stop() {
        stator.close();
    }

    private void command(String id, String cmd) {
        stator.send(MessageBuilder.forAddress(TIMER, id).withValue(cmd).build());
        stator.runUntilIdle();
    }

    private void advance(long millis) {
        clock.advance(Duration.ofMillis(millis));
        stator.runUntilIdle();
    }

    private List<String> fired() {
        return egress.records(FIRED).stream().map(Types2::string).toList();
    }

    @Test
    void delayedMessageFiresAtItsDueTimeAndNotBefore() {
        command("a", "schedule:reminder:10000");
        advance(9_999);
        assertEquals(List.of(), fired());
        advance(1);
        assertEquals(List.of("reminder from test/timer/a"), fired(), "fires exactly at the due time, from its sender");
        advance(60_000);
        assertEquals(1, fired().size(), "fires once");
    }

    @Test
    void aDelayPastTheEndOfTimeNeverFires() {
        command("a", "schedule:never:" + Long.MAX_VALUE); // now + delay overflows: it fired at once
        command("a", "plain:1000");
        advance(3_600_000);
        assertEquals(List.of("plain from test/timer/a"), fired());
        command("a", "cancel:never");
        command("a", "schedule:never:10");
        advance(10);
        assertEquals(List.of("plain from test/timer/a", "never from test/timer/a"), fired(), "it was pending");
    }

    @Test
    void cancelledDelayedMessageNeverFires() {
        command("a", "schedule:reminder:10000");
        command("a", "plain:20000");
        advance(5_000);
        command("a", "cancel:reminder");
        advance(3_600_000);
        assertEquals(List.of("plain from test/timer/a"), fired());
    }

    @Test
    void tokensAreScopedToTheSendingAddress() {
        command("a", "schedule:same:1000");
        command("b", "schedule:same:1000");
        command("b", "cancel:same");
        advance(1_000);
        assertEquals(List.of("same from test/timer/a"), fired());
    }

    @Test
    void reusingAPendingTokenFailsTheCallAndIsDeadLettered() {
        command("a", "schedule:dup:1000");
        command("a", "schedule:dup:2000");
        var dead = egress.records(DeadLetters.EGRESS);
        assertEquals(1, dead.size());
        assertTrue(Types2.string(dead.get(0)).contains("reuses cancellation token 'dup'"), Types2.string(dead.get(0)));
        advance(5_000);
        assertEquals(List.of("dup from test/timer/a"), fired(), "the first message still fires, once");
    }

    @Test
    void reArmingInOneCallMovesTheMessageAndSendingATokenTwiceInOneCallFails() {
        command("a", "rearm:idle:1000");
        advance(500);
        command("a", "rearm:idle:1000"); // due at 1,500 now, not 1,000
        advance(600);
        assertEquals(List.of(), fired());
        advance(400);
        assertEquals(List.of("idle from test/timer/a"), fired());
        assertEquals(0, egress.count(DeadLetters.EGRESS));

        command("b", "twice:dup");
        advance(100);
        var dead = egress.records(DeadLetters.EGRESS);
        assertEquals(1, dead.size());
        assertTrue(Types2.string(dead.get(0)).contains("reuses cancellation token 'dup'"), Types2.string(dead.get(0)));
        assertEquals(1, fired().size(), "the failed call scheduled nothing");
    }

    @Test
    void cancellingAnUnknownTokenDoesNothing() {
        command("a", "cancel:never-scheduled");
        advance(1_000);
        assertEquals(0, egress.count(DeadLetters.EGRESS));
        assertEquals(List.of(), fired());
    }

    @Test
    void aTokenCanBeReusedAfterItsMessageFired() {
        command("a", "schedule:again:100");
        advance(100);
        command("a", "schedule:again:100");
        advance(100);
        assertEquals(2, fired().size());
        assertEquals(0, egress.count(DeadLetters.EGRESS));
    }
}
