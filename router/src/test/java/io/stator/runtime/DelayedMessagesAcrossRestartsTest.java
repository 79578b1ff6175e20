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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delayed messages set, cancelled and fired over many snapshots, each of which records only what changed, come
 * back after a restart (with another partition count) exactly as they were pending: each fires once, and none that
 * fired or was cancelled before comes back.
 */
class DelayedMessagesAcrossRestartsTest {
    private static final TypeName TIMERS = TypeName.typeNameOf("test", "timers");
    private static final TypeName TARGET = TypeName.typeNameOf("test", "target");
    private static final TypeName OUT = TypeName.typeNameOf("test", "out");
    private static final long HOUR = 3_600_000L;

    /** "set:TOKEN:MILLIS" or "cancel:TOKEN"; either way an "ack:" record, so the test knows it ran. */
    private static final StatefulFunction COMMANDS = (ctx, msg) -> {
        String[] cmd = msg.asUtf8String().split(":");
        if (cmd[0].equals("set")) {
            ctx.sendAfter(Duration.ofMillis(Long.parseLong(cmd[2])), cmd[1],
                    MessageBuilder.forAddress(TARGET, "t").withValue(cmd[1]).build());
        } else {
            ctx.cancelDelayedMessage(cmd[1]);
        }
        ctx.send(EgressMessageBuilder.forEgress(OUT).withValue("ack:" + msg.asUtf8String()).build());
        return StatefulFunction.DONE;
    };

    private static final StatefulFunction FIRED = (ctx, msg) -> {
        ctx.send(EgressMessageBuilder.forEgress(OUT)
                .withValue("fired:" + ctx.caller().orElseThrow().id() + "/" + msg.asUtf8String()).build());
        return StatefulFunction.DONE;
    };

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private int commands;

    private StatorConfig config(int partitions) {
        return Stator.builder().partitions(partitions).maxParallelism(16).clock(clock)
                .snapshotInterval(Duration.ZERO)
                .withFunction(StatefulFunctionSpec.builder(TIMERS).withSupplier(() -> COMMANDS).build())
                .withFunction(StatefulFunctionSpec.builder(TARGET).withSupplier(() -> FIRED).build());
    }

    @Test
    void timersSetCancelledAndFiredOverManySnapshotsComeBackExactlyOnce() throws Exception {
        Path data = dir.resolve("data");
        Set<String> pending = new HashSet<>(); // "address/token"
        Set<String> firedBefore = new HashSet<>();
        try (StatorNode node = StatorNode.start(config(2), data, "127.0.0.1", 0)) {
            rounds(node, "first", 0, 8, pending, firedBefore);
        } // the stop takes a last snapshot: it records the fired ones as gone
        long firstLife = newestSnapshot(data);
        assertTrue(timerFiles(data, firstLife, Long.MAX_VALUE) > 2 * 2,
                "the last snapshot's timers are in a chain of files, not one per partition");

        try (StatorNode node = StatorNode.start(config(3), data, "127.0.0.1", 0)) { // rescaled: numbered anew
            rounds(node, "second", 8, 3, pending, firedBefore);
        }
        long secondLife = newestSnapshot(data);
        assertEquals(0, timerFiles(data, secondLife, firstLife), "a rescaled restore lists every timer again");

        try (StatorNode node = StatorNode.start(config(3), data, "127.0.0.1", 0)) { // same count: the chains go on
            rounds(node, "third", 11, 3, pending, firedBefore);
        }
        assertTrue(timerFiles(data, newestSnapshot(data), secondLife) > 0,
                "without a rescale, the restored snapshot's timer files are carried on");

        try (StatorNode node = StatorNode.start(config(2), data, "127.0.0.1", 0)) {
            clock.advance(Duration.ofMillis(2 * HOUR));
            awaitRecords(node, commands + firedBefore.size() + pending.size(), false);
            node.stator().snapshotNow().get(30, TimeUnit.SECONDS);
            Map<String, Integer> fired = new HashMap<>();
            for (String r : committed(node)) {
                if (r.startsWith("fired:")) {
                    fired.merge(r.substring("fired:".length()), 1, Integer::sum);
                }
            }
            Set<String> expected = new HashSet<>(pending);
            expected.addAll(firedBefore);
            assertEquals(expected, fired.keySet(), "exactly the timers pending at the stop, and those fired before it");
            assertTrue(fired.values().stream().allMatch(n -> n == 1), "each fired once: " + fired);
        }
    }

    /**
     * Rounds of commands, a snapshot after each: 40 timers due in an hour, 3 due in a second (they fire after the
     * snapshot), one of the round's own cancelled before it, one of the round before's cancelled.
     */
    private void rounds(StatorNode node, String life, int first, int count, Set<String> pending,
            Set<String> firedBefore) throws Exception {
        int fired = firedBefore.size();
        for (int round = first; round < first + count; round++) {
            for (int i = 0; i < 40; i++) {
                String address = "a" + (i % 7);
                String token = "r" + round + "-" + i;
                command(node, address, "set:" + token + ":" + (HOUR + round * 1000L + i));
                pending.add(address + "/" + token);
            }
            for (int i = 0; i < 3; i++) {
                String address = "a" + i;
                command(node, address, "set:s" + round + "-" + i + ":1000");
                firedBefore.add(address + "/s" + round + "-" + i);
            }
            cancel(node, pending, "a0", "r" + round + "-0"); // set and cancelled between two snapshots
            if (round > 0) { // set in the round before, maybe in an earlier life
                int i = (round * 11) % 40;
                cancel(node, pending, "a" + (i % 7), "r" + (round - 1) + "-" + i);
            }
            awaitRecords(node, commands + fired, false);
            node.stator().snapshotNow().get(30, TimeUnit.SECONDS);
            clock.advance(Duration.ofMillis(2_000));
            fired += 3;
        }
        awaitRecords(node, commands + firedBefore.size(), false);
    }

    private void command(StatorNode node, String address, String command) {
        node.stator().send(MessageBuilder.forAddress(TIMERS, address).withValue(command).build());
        commands++;
    }

    private void cancel(StatorNode node, Set<String> pending, String address, String token) {
        command(node, address, "cancel:" + token);
        assertTrue(pending.remove(address + "/" + token), address + "/" + token);
    }

    /** Waits until the egress holds {@code count} records; uncommitted ones count unless {@code committed}. */
    private static void awaitRecords(StatorNode node, int count, boolean committed) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int seen = 0;
        while (System.nanoTime() < deadline) {
            try (EgressReader reader = EgressReader.open(node.egressLogs().get(OUT), 0, committed)) {
                int[] n = {0};
                while (reader.poll((offset, epoch, type, value) -> n[0]++, 10_000) > 0) {
                    // count them all
                }
                seen = n[0];
            }
            if (seen >= count) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("only " + seen + " of " + count + " records came out");
    }

    private static List<String> committed(StatorNode node) {
        List<String> out = new ArrayList<>();
        try (EgressReader reader = EgressReader.open(node.egressLogs().get(OUT), 0, true)) {
            while (reader.poll((offset, epoch, type, value) -> out.add(Types.stringType().deserialize(value)),
                    10_000) > 0) {
                // read them all
            }
        }
        return out;
    }

    private static long newestSnapshot(Path data) throws Exception {
        try (Stream<Path> ids = Files.list(data.resolve("snapshots"))) {
            return ids.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+"))
                    .mapToLong(Long::parseLong).max().orElseThrow();
        }
    }

    /** @return how many timer files snapshot {@code snapshot} holds that snapshots up to {@code writtenBy} wrote */
    private static int timerFiles(Path data, long snapshot, long writtenBy) throws Exception {
        Path folder = data.resolve("snapshots").resolve(Long.toString(snapshot)).resolve("runtime");
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.map(f -> f.getFileName().toString()).filter(n -> n.contains(".timers-"))
                    .filter(n -> Long.parseLong(n.substring(n.indexOf(".timers-") + 8)) <= writtenBy).count();
        }
    }
}
