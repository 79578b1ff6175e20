package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.sdk.Address;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.state.KeyGroups;
import net.openhft.chronicle.core.io.AbstractCloseable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data folder belongs to one runtime at a time, and a start that fails halfway gives back what it opened.
 */
class StatorNodeDataFolderTest {
    @TempDir
    Path dir;

    private static final TypeName NOOP = TypeName.typeNameOf("test", "noop");

    private static StatorConfig config() {
        StatefulFunction noop = (context, message) -> StatefulFunction.DONE;
        return Stator.builder().partitions(2).maxParallelism(16).snapshotInterval(Duration.ofMillis(100))
                .withFunction(StatefulFunctionSpec.builder(NOOP).withSupplier(() -> noop).build());
    }

    @Test
    void aSecondRuntimeOnTheSameFolderIsRefusedAndTheFirstKeepsIt() throws Exception {
        Path data = dir.resolve("data");
        try (StatorNode first = StatorNode.start(config(), data, "127.0.0.1", 0)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> StatorNode.start(config(), data, "127.0.0.1", 0));
            assertTrue(refused.getMessage().contains("is in use by another Stator runtime"), refused.getMessage());

            // The refused start touched nothing: the first node still takes messages and snapshots.
            long before = first.stator().snapshotStatus().completed();
            Address a = new Address(NOOP, "a");
            first.ingressLog().append(KeyGroups.keyGroupFor(a, 16), a, Types.STRING_TYPENAME,
                    Types.stringType().serialize("m"), null);
            awaitTrue(() -> first.stator().callsCompleted() == 1,
                    "the message processed");
            awaitTrue(() -> first.stator().snapshotStatus().completed() >= before + 2, "snapshots after the refusal");
        }
        try (StatorNode again = StatorNode.start(config(), data, "127.0.0.1", 0)) {
            assertTrue(again.port() > 0, "the folder is free once the first node closed");
        }
    }

    /** The lock is the operating system's: a runtime in another process holds it until that process dies. */
    @Test
    void aFolderHeldByAnotherProcessIsRefusedWithItsPidUntilThatProcessDies() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Process holder = startLockHolder(data.resolve(io.stator.runtime.internal.DataFolderLock.FILE_NAME));
        try {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> StatorNode.start(config(), data, "127.0.0.1", 0));
            assertTrue(refused.getMessage().contains("pid " + holder.pid()), refused.getMessage());
        } finally {
            holder.destroyForcibly(); // SIGKILL: nothing releases the lock but the process's end
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        try (StatorNode node = StatorNode.start(config(), data, "127.0.0.1", 0)) {
            assertTrue(node.port() > 0);
        }
    }

    @Test
    void aStartThatFailsAfterOpeningTheLogsClosesThemAndFreesTheFolder() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("egress"), "not a folder"); // egress recovery fails, after the ingress log opened
        // Chronicle's own bookkeeping of what it opened: an unclosed queue is named by assertCloseablesClosed.
        AbstractCloseable.enableCloseableTracing();
        try {
            RuntimeException failed;
            try {
                StatorNode.start(config(), data, "127.0.0.1", 0).close();
                throw new AssertionError("the start succeeded with a file where the egress folder belongs");
            } catch (RuntimeException e) {
                failed = e;
            }
            assertTrue(Files.isDirectory(data.resolve("ingress")), "the start got as far as the ingress log: " + failed);
            assertTrue(failed.getMessage().startsWith("cannot create the log folder " + data.resolve("egress")),
                    "the failure names the folder: " + failed);
            AbstractCloseable.waitForCloseablesToClose(5_000);
            AbstractCloseable.assertCloseablesClosed();
        } finally {
            AbstractCloseable.disableCloseableTracing();
        }
        Files.delete(data.resolve("egress"));
        try (StatorNode node = StatorNode.start(config(), data, "127.0.0.1", 0)) {
            assertTrue(node.port() > 0, "the failed start released the folder");
        }
    }

    /** A JVM that locks {@code lockFile} as a runtime does, writes its pid into it and waits to be killed. */
    private Process startLockHolder(Path lockFile) throws IOException, InterruptedException {
        Path source = dir.resolve("LockHolder.java");
        Files.writeString(source, """
                import java.nio.ByteBuffer;
                import java.nio.channels.FileChannel;
                import java.nio.charset.StandardCharsets;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;

                public class LockHolder {
                    public static void main(String[] args) throws Exception {
                        FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                                StandardOpenOption.READ, StandardOpenOption.WRITE);
                        if (channel.tryLock() == null) {
                            System.out.println("busy");
                            return;
                        }
                        channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\\n")
                                .getBytes(StandardCharsets.UTF_8)), 0);
                        System.out.println("locked");
                        Thread.sleep(120_000);
                    }
                }
                """);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                source.toString(), lockFile.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", out.readLine(), "the holder took the lock");
        return p;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
