package io.stator.runtime;

import io.stator.egress.EgressHttpHandler;
import io.stator.egress.EgressLogs;
import io.stator.ingress.IngressGate;
import io.stator.ingress.IngressHttpHandler;
import io.stator.ingress.IngressLog;
import io.stator.logs.LogContext;
import io.stator.runtime.internal.DataFolderLock;
import io.stator.runtime.internal.OpenedResources;
import io.stator.runtime.ops.OpsHandlers;
import io.stator.runtime.ops.OpsOptions;
import io.stator.runtime.snapshot.RestoredSnapshot;
import io.stator.runtime.snapshot.SnapshotRecovery;
import io.stator.state.LocalFolderSnapshotStore;
import io.stator.state.SnapshotStore;
import java.util.List;
import java.util.Optional;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.state.KeyGroups;
import io.stator.state.RocksDbStateBackend;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.PathHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Stator runtime on a data folder, with its HTTP API: what {@code ./stator run} starts. The folder holds
 * everything that must outlive the process:
 * <pre>
 *   DATA/ingress/              the ingress log (Chronicle Queue)
 *   DATA/egress/NS/NAME/       one egress log per egress (Chronicle Queue), read-committed
 *   DATA/state/partition-N/    each partition's RocksDB (rebuilt from the newest snapshot at every start)
 *   DATA/snapshots/ID/         snapshots: each partition's RocksDB checkpoint, the runtime's metadata
 *                              (runtime/partition-N.meta) and, last, runtime/MANIFEST
 *   DATA/stator.lock           held while a node runs on the folder: a second node is refused
 * </pre>
 * Every start restores the newest complete snapshot, with any partition count: state, unfinished messages,
 * channel state, delayed messages and ingress positions; egress records of epochs that never committed are
 * aborted. State and output are exactly-once through a crash at any moment.
 */
public final class StatorNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatorNode.class);
    /** How long the HTTP ingress reuses a measured ingress lag (a count of documents per partition). */
    private static final long LAG_RECHECK_NANOS = 10_000_000;

    private final Stator stator;
    private final IngressLog ingressLog;
    private final EgressLogs egressLogs;
    private final Undertow server;
    private final EgressHttpHandler egressHandler;
    private final int port;
    private final Path dataDir;
    private final DataFolderLock lock;
    private final EgressRetention retention; // null: output is kept

    private StatorNode(Stator stator, IngressLog ingressLog, EgressLogs egressLogs, Undertow server,
            EgressHttpHandler egressHandler, int port, Path dataDir, DataFolderLock lock, EgressRetention retention) {
        this.retention = retention;
        this.stator = stator;
        this.ingressLog = ingressLog;
        this.egressLogs = egressLogs;
        this.server = server;
        this.egressHandler = egressHandler;
        this.port = port;
        this.dataDir = dataDir;
        this.lock = lock;
    }

    /**
     * Opens the data folder, recovers it, starts the runtime and its HTTP server.
     *
     * @param config   the runtime's functions and settings; its state backend, egress, ingress and snapshots are set
     *                 here
     * @param dataDir  the data folder (created if missing)
     * @param bindHost the address the HTTP server binds, normally 127.0.0.1
     * @param port     the HTTP port; 0 picks a free one
     * @throws IllegalStateException if another node (in this process or another) runs on {@code dataDir}
     */
    public static StatorNode start(StatorConfig config, Path dataDir, String bindHost, int port) {
        return start(config, dataDir, bindHost, port, null);
    }

    /**
     * As {@link #start(StatorConfig, Path, String, int)}, but first restores the newest snapshot of
     * {@code fromSnapshots} (a savepoint folder) instead of the data folder's own snapshots.
     *
     * @throws IllegalStateException if a snapshot exists but none can be restored
     */
    public static StatorNode start(StatorConfig config, Path dataDir, String bindHost, int port, Path fromSnapshots) {
        return start(config, dataDir, bindHost, port, fromSnapshots, null);
    }

    /**
     * As {@link #start(StatorConfig, Path, String, int, Path)}, with a bearer token: the admin API, the ingress and
     * savepoints then require {@code Authorization: Bearer <token>}. Without a token they are open on loopback
     * only; bound to any other address they refuse every request (see {@link io.stator.runtime.ops.BearerTokenGuard}).
     *
     * @param fromSnapshots a savepoint folder to restore, or null
     * @param tokenOrNull   the bearer token (e.g. read from {@code --token-file}), or null
     */
    public static StatorNode start(StatorConfig config, Path dataDir, String bindHost, int port, Path fromSnapshots,
            String tokenOrNull) {
        Objects.requireNonNull(dataDir, "dataDir");
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder " + dataDir, e);
        }
        OpenedResources opened = new OpenedResources();
        try {
            return open(config, dataDir, bindHost, port, fromSnapshots, tokenOrNull, opened);
        } catch (RuntimeException | Error e) {
            opened.closeAfter(e);
            throw e;
        }
    }

    /** The body of {@code start}: everything it opens goes into {@code opened}, which a failure closes. */
    private static StatorNode open(StatorConfig config, Path dataDir, String bindHost, int port, Path fromSnapshots,
            String tokenOrNull, OpenedResources opened) {
        DataFolderLock lock = opened.add(DataFolderLock.acquire(dataDir));
        int partitions = config.partitions();
        int maxParallelism = config.maxParallelism();
        LocalFolderSnapshotStore snapshots = new LocalFolderSnapshotStore(dataDir.resolve("snapshots"));
        SnapshotStore restoreSource = fromSnapshots == null ? snapshots : new LocalFolderSnapshotStore(fromSnapshots);
        long highestSnapshotId = highestId(snapshots);
        // The ingress log does not depend on the restore. Opening it (in a fresh JVM the first Chronicle queue takes
        // ~0.6 s) runs beside the state restore instead of after it.
        CompletableFuture<IngressLog> ingressOpening = CompletableFuture.supplyAsync(
                () -> IngressLog.open(dataDir.resolve("ingress"), new LogContext()), runnable -> {
                    Thread t = new Thread(runnable, "stator-ingress-open");
                    t.setDaemon(true);
                    t.start();
                });
        opened.addCloser(() -> { // closes the log also when the restore fails first
            if (!ingressOpening.isCompletedExceptionally()) {
                ingressOpening.join().close();
            }
        });
        Optional<RestoredSnapshot> restored = SnapshotRecovery.restoreLatest(restoreSource, dataDir.resolve("state"),
                partitions, maxParallelism);
        if (fromSnapshots == null) {
            restored.ifPresent(RestoredSnapshot::continuesInItsStore);
        }
        long committedEpoch = restored.map(r -> r.id() - 1).orElse(io.stator.egress.EgressLog.NO_EPOCH);

        IngressLog ingressLog;
        try {
            ingressLog = ingressOpening.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        String ingressLogId = ingressLogId(dataDir);
        restored.filter(r -> !r.ingressLogId().equals(ingressLogId)).ifPresent(r -> {
            LOG.info("snapshot {} was taken on another ingress log; this folder's ingress log is read from its start",
                    r.id());
            r.discardIngressPositions();
        });
        EgressLogs egressLogs = opened.add(new EgressLogs(dataDir.resolve("egress"), new LogContext(),
                config.maxEgresses()));
        // Aborts what the last run emitted but never committed; epochs continue above every epoch and snapshot id
        // used before, so no aborted epoch number comes back.
        long highest = Math.max(Math.max(committedEpoch, egressLogs.recoverAll(committedEpoch)), highestSnapshotId);
        egressLogs.get(io.stator.runtime.internal.DeadLetters.EGRESS); // exists from the start, so it can be tailed
        EgressLogSink sink = new EgressLogSink(egressLogs);
        config.stateBackend(RocksDbStateBackend.builder().dataDir(dataDir.resolve("state")).maxParallelism(maxParallelism)
                        .snapshotStore(snapshots).retainedSnapshots(Integer.MAX_VALUE)
                        .cacheMaxEntries(config.stateCacheEntries())
                        .changelogPartBytes(config.stateChangelogPartBytes())
                        .snapshotThreads(partitions) // uploads wait on fsync: one per partition runs them side by side
                        .build())
                .egress(sink)
                .ingressLog(ingressLog, ingressLogId)
                .snapshotStore(snapshots)
                .startEpoch(Math.max(1, highest + 1));
        restored.ifPresent(config::restoreFrom);
        Stator stator = opened.add(config.start());

        IngressLagLimit lagLimit = config.maxIngressLag() == 0 ? null : new IngressLagLimit(ingressLog, partitions,
                p -> stator.partitions().get(p).ingressPosition(), config.maxIngressLag(), LAG_RECHECK_NANOS);
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
                return lagLimit != null && lagLimit.exceeded();
            }

            @Override
            public void appendFailedFatally(VirtualMachineError error) {
                config.onThreadDeath().accept("the HTTP ingress (" + Thread.currentThread().getName() + ")", error);
            }
        };
        EgressHttpHandler egressHandler = opened.add(new EgressHttpHandler(egressLogs));
        OpsOptions ops = OpsOptions.defaults().bindHost(bindHost).token(tokenOrNull).stateReads(config.adminStateReads())
                .endpointRegistry(config.remoteEndpointRegistry())
                .ingressReadPositions(p -> stator.partitions().get(p).ingressPosition())
                .maxIngressLag(config.maxIngressLag());
        PathHandler paths = Handlers.path()
                .addPrefixPath(IngressHttpHandler.PATH_PREFIX,
                        OpsHandlers.guard(new IngressHttpHandler(ingressLog, gate), ops))
                .addPrefixPath(EgressHttpHandler.PATH_PREFIX, egressHandler);
        // A client that sends "Expect: 100-continue" waits for the 100 before the body: send it when a handler reads
        // the body (one that refuses first, a 413 on the length, does not), or the client waits out its timeout.
        // A client that stops sending is closed after the idle timeout: mid-body (READ_TIMEOUT, which Undertow arms
        // only while it waits to read, so event streams are not touched), in its headers, or between requests.
        // (UndertowOptions.IDLE_TIMEOUT closed nothing in 2.4.4.) At the connection bound XNIO stops accepting until
        // one closes: the bound is shared out among the I/O threads, each accepting up to its share.
        int idleMillis = (int) Math.min(Integer.MAX_VALUE, config.httpIdleTimeout().toMillis());
        Undertow server = Undertow.builder().addHttpListener(port, bindHost)
                .setSocketOption(org.xnio.Options.CONNECTION_HIGH_WATER, config.maxHttpConnections())
                .setSocketOption(org.xnio.Options.CONNECTION_LOW_WATER, config.maxHttpConnections())
                .setSocketOption(org.xnio.Options.READ_TIMEOUT, idleMillis)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, idleMillis)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, idleMillis)
                .setHandler(Handlers.httpContinueRead(paths)).build();
        try {
            server.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on " + bindHost + ":" + port + ": " + rootMessage(e), e);
        }
        opened.addCloser(server::stop);
        int actualPort = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        LOG.info("Stator node up: data {}, HTTP on http://{}:{}, {}", dataDir, bindHost, actualPort,
                restored.map(r -> "restored snapshot " + r.id()).orElse("first start (no snapshot)"));
        EgressRetention retention = config.egressRetention().isZero() ? null
                : opened.add(new EgressRetention(egressLogs, config.egressRetention()));
        StatorNode node = new StatorNode(stator, ingressLog, egressLogs, server, egressHandler, actualPort, dataDir,
                lock, retention);
        OpsHandlers.mount(paths, node, ops); // the status page at /, /metrics, /v1/status, /v1/admin
        if (fromSnapshots != null) {
            // Make the restored state this folder's own newest snapshot at once, so a crash before the first
            // periodic snapshot does not fall back to an older snapshot of this folder.
            node.awaitSnapshot();
        }
        return node;
    }

    /** @return the identity of this folder's ingress log, made on first use */
    private static String ingressLogId(Path dataDir) {
        Path file = dataDir.resolve("ingress-log-id");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            String id = java.util.UUID.randomUUID().toString();
            Files.writeString(file, id + "\n");
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    private static long highestId(SnapshotStore store) {
        try {
            List<Long> ids = store.snapshotIds();
            return ids.isEmpty() ? -1 : ids.get(ids.size() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the snapshot store " + store.describe(), e);
        }
    }

    /**
     * Takes a snapshot now and keeps a copy of it as a savepoint in {@code DATA/savepoints/NAME}, which
     * {@code ./stator run --from} can start from (also with another partition count or in another data folder).
     *
     * @param name the savepoint's name: letters, digits, '.', '_' or '-'; null names it after the snapshot id
     * @return the savepoint's folder
     * @throws IllegalArgumentException if the name is invalid or taken
     * @throws IllegalStateException    if the snapshot failed
     */
    public Path savepoint(String name) {
        if (name != null && !name.matches("[A-Za-z0-9._-]{1,100}") || ".".equals(name) || "..".equals(name)) {
            throw new IllegalArgumentException("invalid savepoint name '" + name + "': use letters, digits, '.', '_' or '-'");
        }
        if (name != null && Files.exists(dataDir.resolve("savepoints").resolve(name))) {
            throw new IllegalArgumentException("a savepoint named '" + name + "' already exists");
        }
        long id = awaitSnapshot();
        Path target = dataDir.resolve("savepoints").resolve(name == null ? "savepoint-" + id : name);
        Path source = dataDir.resolve("snapshots").resolve(Long.toString(id));
        Path copy = target.resolve(Long.toString(id));
        try {
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d,
                        BasicFileAttributes attributes) throws IOException {
                    // A partition's ".checkpoint" folder holds a background checkpoint of the snapshot before,
                    // perhaps still being written; this snapshot does not need it.
                    if (d.getFileName().toString().endsWith(".checkpoint")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Files.createDirectories(copy.resolve(source.relativize(d).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f,
                        BasicFileAttributes attributes) throws IOException {
                    Files.copy(f, copy.resolve(source.relativize(f).toString()));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy snapshot " + id + " to " + target, e);
        }
        LOG.info("savepoint {} written: snapshot {} in {}", target.getFileName(), id, target);
        return target;
    }

    private long awaitSnapshot() {
        try {
            return stator.snapshotNow().get(120, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the snapshot did not complete within 120 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a snapshot");
        }
    }

    /** @return the data folder */
    public Path dataDir() {
        return dataDir;
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

    /**
     * Stops HTTP, then the runtime (which drains, commits and closes state and egress), then the ingress log, and
     * releases the data folder.
     */
    @Override
    public void close() {
        try {
            if (retention != null) {
                retention.close();
            }
            server.stop();
            egressHandler.close();
            stator.close();
            ingressLog.close();
        } finally {
            lock.close();
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
