package io.stator.benchmarks.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.runtime.Stator;
import io.stator.runtime.StatorNode;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IngressLoad} against a real node: every request it counts reached the function once, its line says so,
 * and a load the node refuses is {@code ok=false} with a non-zero status. It never asserts a speed.
 */
@Timeout(60)
class IngressLoadTest {
    private static final TypeName SINK = TypeName.typeNameOf("test", "sink");

    @TempDir
    Path data;

    @Test
    void everyRequestReachesTheFunctionAndTheLineSaysSo() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Set<String> ids = ConcurrentHashMap.newKeySet();
        StatefulFunctionSpec sink = StatefulFunctionSpec.builder(SINK).withSupplier(() -> (StatefulFunction) (c, m) -> {
            calls.incrementAndGet();
            ids.add(c.self().id());
            return StatefulFunction.DONE;
        }).build();
        try (StatorNode node = StatorNode.start(Stator.builder().partitions(2).withFunction(sink), data, "127.0.0.1", 0)) {
            String url = "http://127.0.0.1:" + node.port();
            Run plain = run("--url", url, "--function", "test/sink", "--connections", "3", "--requests", "300",
                    "--ids", "7");
            assertEquals(0, plain.status, plain.err);
            assertTrue(Pattern.matches("http-ingress connections=3 requests=300 keyed=false seconds=\\d+\\.\\d{3}"
                    + " req_per_s=\\d+ p50_ms=\\d+\\.\\d{3} p99_ms=\\d+\\.\\d{3} node_cpu_us_per_req=\\d+\\.\\d"
                    + " non_202=0 ok=true", plain.out.strip()), plain.out);
            awaitCalls(calls, 300);
            assertEquals(Set.of("id-0", "id-1", "id-2", "id-3", "id-4", "id-5", "id-6"), Set.copyOf(ids),
                    "--ids 7: seven ids");
            Run keyed = run("--url", url, "--function", "test/sink", "--connections", "2", "--requests", "100",
                    "--keyed");
            assertEquals(0, keyed.status, keyed.err);
            assertTrue(keyed.out.contains(" keyed=true ") && keyed.out.strip().endsWith(" ok=true"), keyed.out);
            awaitCalls(calls, 400);

            Run refused = run("--url", url, "--function", "test/nobody", "--connections", "2", "--requests", "50");
            assertEquals(1, refused.status, refused.out);
            assertTrue(refused.out.strip().endsWith(" non_202=50 ok=false"), refused.out);
        }
    }

    @Test
    void usageErrorsExitWithStatus2() throws Exception {
        Run noFunction = run("--url", "http://127.0.0.1:1");
        assertEquals(2, noFunction.status);
        assertTrue(noFunction.err.contains("--function NAMESPACE/TYPE is required"), noFunction.err);
        Run notLoopback = run("--url", "http://example.com:80", "--function", "a/b");
        assertEquals(2, notLoopback.status);
        assertTrue(notLoopback.err.contains("loopback"), notLoopback.err);
        assertEquals(2, run("--function", "a/b", "--requests", "0").status);
    }

    private static void awaitCalls(AtomicInteger calls, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (calls.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(100); // none more
        assertEquals(expected, calls.get(), "each accepted request ran once");
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = IngressLoad.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
