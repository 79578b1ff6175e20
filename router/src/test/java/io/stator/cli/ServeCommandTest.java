package io.stator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.remote.server.RemoteFunctionServer;
import io.stator.runtime.InMemoryEgress;
import io.stator.runtime.Stator;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.Types;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./stator serve} serves a module file's functions to a runtime, on worker or I/O threads as asked. */
class ServeCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void functionsRunOnWorkerThreadsByDefault() throws Exception {
        String thread = threadThatRanTheFunction();
        assertTrue(thread.contains("task"), "a worker thread: " + thread);
    }

    @Test
    void functionsRunOnIoThreadsWhenAsked() throws Exception {
        String thread = threadThatRanTheFunction("--functions-on-io-threads");
        assertTrue(thread.contains("I/O"), "an I/O thread: " + thread);
    }

    /** Serves the module, calls its function once through a runtime, and returns the thread the call ran on. */
    private String threadThatRanTheFunction(String... extraArgs) throws Exception {
        Path module = dir.resolve("module.yaml");
        Files.writeString(module, "kind: io.stator.v1/embedded\nspec:\n  modules:\n    - "
                + ThreadReportingModule.class.getName() + "\n");
        String[] args = new String[2 + 2 + extraArgs.length];
        args[0] = "--module";
        args[1] = module.toString();
        args[2] = "--port";
        args[3] = "0";
        System.arraycopy(extraArgs, 0, args, 4, extraArgs.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ServeCommand.Started started = ServeCommand.start(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertNotNull(started.server(), () -> "serve did not start: " + out);
        try (RemoteFunctionServer server = started.server()) {
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("test/where"), out.toString(StandardCharsets.UTF_8));
            InMemoryEgress egress = new InMemoryEgress();
            RemoteEndpointSpec endpoint = RemoteEndpointSpec.fromYaml(Map.of(
                    "functions", "test/*",
                    "urlPathTemplate", server.baseUrl(),
                    "transport", Map.of("type", "io.statefun.transports.v1/async", "call", "20s")));
            try (Stator stator = Stator.builder().partitions(1).egress(egress).withRemoteEndpoint(endpoint).start()) {
                stator.send(MessageBuilder.forAddress(ThreadReportingModule.WHERE, "a").withValue(1).build());
                var records = egress.await(ThreadReportingModule.THREADS, 1, WAIT);
                assertEquals(1, records.size());
                return Types.stringType().deserialize(records.get(0).message().rawValue());
            }
        }
    }
}
