package io.stator.cli;

import io.stator.runtime.Stator;
import io.stator.runtime.StatorConfig;
import io.stator.runtime.StatorNode;
import io.stator.runtime.config.ModuleConfigException;
import io.stator.runtime.config.ModuleFile;
import io.stator.remote.client.RemoteEndpointSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** {@code ./stator run}: starts a runtime on a data folder and keeps it running until the process is stopped. */
final class RunCommand {
    /** Returned when the runtime was started and the process must stay up. */
    static final int KEEP_RUNNING = -1;
    /** The exit status when a partition's or the snapshot coordinator's thread died of an {@link Error}. */
    static final int THREAD_DIED = 70;

    private static final Set<String> VALUE_FLAGS = Set.of("--module", "--data", "--port", "--bind", "--partitions",
            "--max-parallelism", "--snapshot-interval", "--snapshot-quiet", "--from", "--token-file",
            "--cache-entries", "--egress-retention", "--max-ingress-lag", "--max-egresses",
            "--max-connections");
    private static final Set<String> SWITCHES = Set.of("--help", "--allow-state-reads");

    private RunCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Args a = new Args("run", args, VALUE_FLAGS, SWITCHES);
        if (a.has("--help")) {
            out.print(StatorMain.HELP);
            return 0;
        }
        if (!a.positional().isEmpty()) {
            throw new UsageException("run: unexpected argument '" + a.positional().get(0) + "'");
        }
        Path moduleFile = Path.of(a.required("--module"));
        Path data = Path.of(a.get("--data", "stator-data"));
        int port = a.intValue("--port", 8090, 0, 65535);
        String bind = a.get("--bind", "127.0.0.1");
        int partitions = a.intValue("--partitions", Runtime.getRuntime().availableProcessors(), 1, 1024);
        int maxParallelism = a.intValue("--max-parallelism", 128, 1, 32768);
        int snapshotMillis = a.intValue("--snapshot-interval", 1000, 0, 3_600_000);
        int quietMillis = a.intValue("--snapshot-quiet", (int) StatorConfig.DEFAULT_SNAPSHOT_QUIET_MILLIS, 0,
                3_600_000);
        int cacheEntries = a.intValue("--cache-entries", io.stator.state.RocksDbStateConfig.DEFAULT_CACHE_MAX_ENTRIES,
                1, Integer.MAX_VALUE);
        int retentionHours = a.intValue("--egress-retention", 0, 0, 876_000);
        int maxLag = a.intValue("--max-ingress-lag", (int) StatorConfig.DEFAULT_MAX_INGRESS_LAG, 0, Integer.MAX_VALUE);
        int maxEgresses = a.intValue("--max-egresses", io.stator.egress.EgressLogs.DEFAULT_MAX_LOGS, 1, 1_000_000);
        int maxConnections = a.intValue("--max-connections", StatorConfig.defaultMaxHttpConnections(), 1, 1_000_000);
        Path from = a.has("--from") ? Path.of(a.get("--from", "")) : null;
        String token = SavepointCommand.readToken(a);

        StatorConfig config = Stator.builder().partitions(partitions).maxParallelism(maxParallelism)
                .snapshotInterval(Duration.ofMillis(snapshotMillis))
                .snapshotWhenQuiet(Duration.ofMillis(quietMillis))
                .stateCacheEntries(cacheEntries)
                .egressRetention(Duration.ofHours(retentionHours))
                .maxIngressLag(maxLag)
                .maxEgresses(maxEgresses)
                .maxHttpConnections(maxConnections)
                .adminStateReads(a.has("--allow-state-reads"));
        ModuleFile module;
        try {
            module = ModuleFile.load(moduleFile);
            module.embeddedFunctions().values().forEach(config::withFunction);
            for (ModuleFile.EndpointDocument doc : module.endpoints()) {
                try {
                    config.withRemoteEndpoint(RemoteEndpointSpec.fromYaml(doc.spec()));
                } catch (IllegalArgumentException e) {
                    throw new ModuleConfigException(doc.where() + ": " + e.getMessage());
                }
            }
            config.onThreadDeath((thread, error) -> {
                // The partition or coordinator is gone: nothing commits any more. A clean stop would wait for it, so
                // the process ends at once; the next start restores the last snapshot.
                err.println("stator run: " + thread + " stopped (" + error + "); exiting with status " + THREAD_DIED
                        + ": start it again to resume from the last snapshot");
                err.flush();
                Runtime.getRuntime().halt(THREAD_DIED);
            });
            config.conclude();
        } catch (ModuleConfigException e) {
            err.println("stator run: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("stator run: " + e.getMessage());
            return 2;
        }
        StatorNode node;
        try {
            if (from != null && !java.nio.file.Files.isDirectory(from)) {
                err.println("stator run: --from " + from + " is not a snapshot folder");
                return 2;
            }
            node = StatorNode.start(config, data, bind, port, from, token);
        } catch (IllegalStateException e) {
            err.println("stator run: " + e.getMessage());
            return 2;
        } catch (java.io.UncheckedIOException e) {
            err.println("stator run: " + e.getMessage() + " (" + e.getCause() + ")");
            return 2;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "stator-shutdown"));
        out.println("Stator is running " + moduleFile + " on " + data.toAbsolutePath() + " with " + partitions
                + " partitions; HTTP on http://" + bind + ":" + node.port() + " (Ctrl-C stops it cleanly)");
        out.println("  functions: " + config.functions().keySet()
                + (config.remoteEndpoints().isEmpty() ? "" : ", remote: " + config.remoteEndpoints().stream()
                .map(RemoteEndpointSpec::functions).toList()));
        return KEEP_RUNNING;
    }
}
