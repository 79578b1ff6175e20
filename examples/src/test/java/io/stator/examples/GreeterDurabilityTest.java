package io.stator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.egress.TailCommand;
import io.stator.examples.greeter.Greeter;
import io.stator.ingress.SendCommand;
import io.stator.runtime.Stator;
import io.stator.runtime.StatorConfig;
import io.stator.runtime.StatorNode;
import io.stator.runtime.config.ModuleFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The greeter as {@code ./stator run} runs it: on a data folder (Chronicle ingress and egress, RocksDB state),
 * fed by {@code ./stator send} over HTTP and read with {@code ./stator tail}. Two runtime lifetimes on the same
 * folder: the counts go on where they were, and no greeting is lost or repeated.
 */
@Timeout(120)
class GreeterDurabilityTest {
    @TempDir
    Path data;

    private StatorNode start() {
        StatorConfig config = Stator.builder().partitions(2);
        ModuleFile.load(Path.of("greeter/module.yaml")).embeddedFunctions().values().forEach(config::withFunction);
        return StatorNode.start(config, data, "127.0.0.1", 0);
    }

    private static String cli(java.util.function.BiFunction<PrintStream, PrintStream, Integer> command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = command.apply(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, () -> "status " + status + ": " + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void send(int port, String user) {
        cli((out, err) -> SendCommand.run(new String[] {Greeter.TYPE.asString(), user, "hi",
                "--url", "http://127.0.0.1:" + port}, out, err));
    }

    /** Waits until the committed egress holds {@code count} greetings, then returns their texts. */
    private static List<String> awaitGreetings(int port, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        List<String> lines = List.of();
        while (System.currentTimeMillis() < deadline) {
            String text = cli((out, err) -> TailCommand.run(new String[] {Greeter.GREETS.asString(),
                    "--url", "http://127.0.0.1:" + port}, out, err));
            lines = text.lines().filter(l -> !l.isBlank()).map(l -> l.substring(l.lastIndexOf('\t') + 1)).toList();
            if (lines.size() >= count) {
                return lines;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected " + count + " greetings, got " + lines);
    }

    @Test
    void countsGoOnAcrossTwoRuntimeLifetimes() throws Exception {
        try (StatorNode node = start()) {
            send(node.port(), "alice");
            send(node.port(), "bob");
            send(node.port(), "alice");
            List<String> first = awaitGreetings(node.port(), 3);
            assertEquals(3, first.size(), first.toString());
            assertTrue(first.contains("Hello alice, this is visit number 2. (hi)"), first.toString());
        }
        try (StatorNode node = start()) {
            send(node.port(), "alice");
            send(node.port(), "bob");
            List<String> all = awaitGreetings(node.port(), 5);
            assertEquals(List.of(
                    "Hello alice, this is visit number 3. (hi)",
                    "Hello bob, this is visit number 2. (hi)"), all.subList(3, 5).stream().sorted().toList());
            Thread.sleep(300); // a little longer: nothing from the first run may be delivered twice
            assertEquals(5, awaitGreetings(node.port(), 5).size());
        }
    }
}
