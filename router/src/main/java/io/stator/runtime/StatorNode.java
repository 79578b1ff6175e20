package io.stator.runtime;

import io.stator.egress.EgressHttpHandler;
import io.stator.egress.EgressLogs;
import io.stator.ingress.IngressGate;
import io.stator.ingress.IngressHttpHandler;
import io.stator.ingress.IngressLog;
import io.stator.logs.LogContext;
import io.stator.runtime.internal.ProgressFile;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.state.KeyGroups;
import io.stator.state.RocksDbStateBackend;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.handlers.PathHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Stator runtime on a data folder, with its HTTP API: what {@code ./stator run} starts. The folder holds
 * everything that must outlive the process:
 * <pre>
 *   DATA/ingress/              the ingress log (Chronicle Queue)
 *   DATA/egress/NS/NAME/       one egress log per egress (Chronicle Queue), read-committed
 *   DATA/state/partition-N/    each partition's RocksDB
 *   DATA/progress              the last committed epoch and the ingress positions after it
 * </pre>
 * A clean stop drains the messages in flight, commits the last epoch and flushes state, so the next start
 * continues exactly where this one stopped. (Exactly-once through a crash needs snapshots of state at each
 * epoch; see docs/ARCHITECTURE.md.)
 */
public final class StatorNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatorNode.class);

    private final Stator stator;
    private final IngressLog ingressLog;
    private final EgressLogs egressLogs;
    private final Undertow server;
    private final EgressHttpHandler egressHandler;
    private final int port;

    private StatorNode(Stator stator, IngressLog ingressLog, EgressLogs egressLogs, Undertow server,
            EgressHttpHandler egressHandler, int port) {
        this.stator = stator;
        this.ingressLog = ingressLog;
        this.egressLogs = egressLogs;
        this.server = server;
        this.egressHandler = egressHandler;
        this.port = port;
    }

    /**
     * Opens the data folder, recovers it, starts the runtime and its HTTP server.
     *
     * @param config   the runtime's functions and settings; its state backend, egress and ingress are set here
     * @param dataDir  the data folder (created if missing)
     * @param bindHost the address the HTTP server binds, normally 127.0.0.1
     * @param port     the HTTP port; 0 picks a free one
     * @throws IllegalStateException if the data folder was written with another partition count
     */
    public static StatorNode start(StatorConfig config, Path dataDir, String bindHost, int port) {
        Objects.requireNonNull(dataDir, "dataDir");
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder " + dataDir, e);
        }
        ProgressFile progressFile = new ProgressFile(dataDir.resolve("progress"));
        ProgressFile.Progress progress = progressFile.read();
        int partitions = config.partitions();
        int maxParallelism = config.maxParallelism();
        if (progress != null && (progress.partitions() != partitions || progress.maxParallelism() != maxParallelism)) {
            throw new IllegalStateException("the data folder " + dataDir + " was written with " + progress.partitions()
                    + " partitions and maxParallelism " + progress.maxParallelism() + "; start with --partitions "
                    + progress.partitions() + " (changing the partition count needs a savepoint)");
        }
        long[] positions = new long[partitions];
        if (progress != null) {
            positions = progress.positions();
        } else {
            java.util.Arrays.fill(positions, IngressLog.START);
        }
        long committedEpoch = progress == null ? io.stator.egress.EgressLog.NO_EPOCH : progress.epoch();

        LogContext logContext = new LogContext();
        IngressLog ingressLog = IngressLog.open(dataDir.resolve("ingress"), logContext);
        EgressLogs egressLogs = new EgressLogs(dataDir.resolve("egress"), new LogContext());
        // Aborts what the last run emitted but never committed; epochs continue above every epoch on disk.
        long highest = Math.max(committedEpoch, egressLogs.recoverAll(committedEpoch));
        EgressLogSink sink = new EgressLogSink(egressLogs);
        config.stateBackend(RocksDbStateBackend.builder().dataDir(dataDir.resolve("state")).build())
                .egress(sink)
                .ingressLog(ingressLog, positions)
                .startEpoch(Math.max(1, highest + 1))
                .epochCommitter((epoch, ingressPositions) -> {
                    progressFile.write(epoch, maxParallelism, ingressPositions); // first: see ProgressFile
                    sink.commit(epoch);
                });
        Stator stator = config.start();

        IngressGate gate = new IngressGate() {
            @Override
            public boolean knowsFunctionType(TypeName functionType) {
                return config.knowsFunctionType(functionType);
            }

            @Override
            public int keyGroupFor(Address target) {
                return KeyGroups.keyGroupFor(target, maxParallelism);
            }

            @Override
            public boolean backpressured() {
                return stator.isBackpressured();
            }
        };
        EgressHttpHandler egressHandler = new EgressHttpHandler(egressLogs);
        PathHandler paths = Handlers.path()
                .addPrefixPath(IngressHttpHandler.PATH_PREFIX, new IngressHttpHandler(ingressLog, gate))
                .addPrefixPath(EgressHttpHandler.PATH_PREFIX, egressHandler);
        Undertow server = Undertow.builder().addHttpListener(port, bindHost).setHandler(paths).build();
        try {
            server.start();
        } catch (RuntimeException e) {
            stator.close();
            egressHandler.close();
            ingressLog.close();
            throw new IllegalStateException("cannot listen on " + bindHost + ":" + port + ": " + rootMessage(e), e);
        }
        int actualPort = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        LOG.info("Stator node up: data {}, HTTP on http://{}:{}, resuming after epoch {}", dataDir, bindHost,
                actualPort, committedEpoch);
        return new StatorNode(stator, ingressLog, egressLogs, server, egressHandler, actualPort);
    }

    /** @return the runtime */
    public Stator stator() {
        return stator;
    }

    /** @return the HTTP port */
    public int port() {
        return port;
    }

    /** @return the ingress log */
    public IngressLog ingressLog() {
        return ingressLog;
    }

    /** @return the egress logs */
    public EgressLogs egressLogs() {
        return egressLogs;
    }

    /** Stops HTTP, then the runtime (which drains, commits and closes state and egress), then the ingress log. */
    @Override
    public void close() {
        server.stop();
        egressHandler.close();
        stator.close();
        ingressLog.close();
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
