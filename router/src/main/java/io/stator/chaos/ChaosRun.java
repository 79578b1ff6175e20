package io.stator.chaos;

import io.stator.remote.server.RemoteFunctionServer;
import io.stator.runtime.internal.DeadLetters;
import io.stator.sdk.TypeName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chaos run, as StateFun's smoke test does it but with real crashes: the driver (this process) hosts the
 * remote chaos function and sends the plan's commands through the HTTP ingress while the node, a child JVM, is
 * killed with SIGKILL at random moments and started again on the same data folder. After the last kill it lets
 * the node finish, asks every address for its state, stops the node cleanly, and checks the committed egress, the
 * reported states and the pending timers against the plan.
 *
 * <p>Each life of the node but the last:
 * <ol>
 *   <li>start the child JVM and wait for its HTTP port (one life in five, after the first, is instead killed
 *       100-2600 ms after its launch: during the JVM's start or the snapshot's restore);</li>
 *   <li>release this life's share of the commands to the sender threads, a slice at a time over the life, so
 *       commands are flowing when the kill comes;</li>
 *   <li>after 200-1500 ms (snapshots every 150 ms by default, slow remote calls), SIGKILL it.</li>
 * </ol>
 * The last life gets the commands not yet sent and is left to finish.
 */
final class ChaosRun {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);
    private static final int SENDERS = 4;
    private static final int SLICES_PER_LIFE = 10;
    private static final long SEND_DEADLINE_MILLIS = 10 * 60_000;
    /** How long the end of the run waits for an egress that makes no more progress. */
    private static final long STALL_MILLIS = 60_000;
    private static final long POLL_MILLIS = 50;

    private final ChaosOptions options;
    private final ChaosPlan plan;
    private final Random timing;
    private final List<String> problems = new ArrayList<>();
    private int kills;

    ChaosRun(ChaosOptions options) {
        this.options = options;
        this.plan = ChaosPlan.generate(options.seed(), options.msgs(), options.addressesPerType(), options.partitions(),
                io.stator.state.KeyGroups.DEFAULT_MAX_PARALLELISM);
        this.timing = new Random(options.seed() * 31 + 7);
    }

    /** Runs the whole test. @return its result; details name the work folder when it is kept */
    ChaosResult run() {
        Path work = workFolder();
        ChaosResult result;
        try (RemoteFunctionServer remote = RemoteFunctionServer.builder().withFunction(ChaosFunction.REMOTE_SPEC)
                .bind("127.0.0.1", 0).start()) {
            result = runWith(work, remote.baseUrl());
        } catch (RuntimeException e) {
            LOG.debug("chaos run failed", e);
            problems.add("the run stopped early: " + e.getMessage());
            result = new ChaosResult(options.seed(), kills, options.msgs(), 0, 0, 0, false, List.of());
        }
        List<String> details = new ArrayList<>(problems);
        details.addAll(result.details());
        if (result.ok() && options.dir() == null) {
            io.stator.runtime.Folders.deleteQuietly(work);
        } else if (!result.ok()) {
            details.add("work folder (data and node logs) kept: " + work);
        }
        return new ChaosResult(result.seed(), result.kills(), result.msgs(), result.lost(), result.duplicated(),
                result.stateMismatches(), result.completed(), List.copyOf(details));
    }

    private ChaosResult runWith(Path work, String remoteBaseUrl) {
        Path data = work.resolve("data");
        IngressSender sender = new IngressSender();
        NodeProcess node = null;
        try (CommandPump pump = new CommandPump(plan.commands(), sender, SENDERS,
                System.currentTimeMillis() + SEND_DEADLINE_MILLIS)) {
            node = liveAndDie(work, data, remoteBaseUrl, sender, pump);
            pump.awaitAllAccepted();
            awaitEffects(data);
            sendReports(sender);
            awaitReports(data);
            if (!node.stop(60_000)) {
                problems.add("the node did not stop cleanly within 60 s of SIGTERM; it was killed (see " + node.log() + ")");
            }
            node = null;
            return verify(data);
        } finally {
            if (node != null) {
                node.kill();
            }
        }
    }

    /**
     * Runs every life but the last: each is killed with SIGKILL at a random moment while commands flow; one in five
     * is killed while it is still starting (restoring its snapshot). Then starts the last life and releases every
     * command not yet released.
     *
     * @return the last life, up
     */
    private NodeProcess liveAndDie(Path work, Path data, String remoteBaseUrl, IngressSender sender, CommandPump pump) {
        int released = 0;
        for (int life = 0; life < options.kills(); life++) {
            int partitions = partitionsOfLife();
            NodeProcess node = NodeProcess.launch(work, life, data, remoteBaseUrl, partitions, options);
            try {
                if (life > 0 && timing.nextInt(5) == 0) {
                    int afterMillis = 100 + timing.nextInt(2500);
                    LOG.debug("chaos: life {} with {} partitions, killed {} ms after its launch", life, partitions,
                            afterMillis);
                    pause(afterMillis); // a moment during the JVM's start or the snapshot's restore
                } else {
                    node.awaitUp();
                    sender.target(node.baseUrl());
                    int share = (options.msgs() - released) / (options.kills() - life + 1);
                    int lifeMillis = ChaosOptions.MIN_LIFE_MILLIS
                            + timing.nextInt(ChaosOptions.MAX_LIFE_MILLIS - ChaosOptions.MIN_LIFE_MILLIS + 1);
                    LOG.debug("chaos: life {} at {} with {} partitions: {} commands, killed after {} ms", life,
                            node.baseUrl(), partitions, share, lifeMillis);
                    released += releaseOverLife(pump, share, lifeMillis);
                    sender.target(null);
                }
            } finally {
                node.kill();
            }
            kills++;
        }
        NodeProcess last = NodeProcess.start(work, options.kills(), data, remoteBaseUrl, partitionsOfLife(), options);
        sender.target(last.baseUrl());
        pump.release(options.msgs() - released);
        return last;
    }

    /** @return the partition count of the next life: fixed, or with {@code --rescale} 1 to partitions + 1 */
    private int partitionsOfLife() {
        return options.rescale() ? 1 + timing.nextInt(options.partitions() + 1) : options.partitions();
    }

    /** @return how many commands it released: {@code share}, in slices over {@code lifeMillis} */
    private static int releaseOverLife(CommandPump pump, int share, int lifeMillis) {
        int released = 0;
        for (int slice = 0; slice < SLICES_PER_LIFE; slice++) {
            int n = (share * (slice + 1)) / SLICES_PER_LIFE - released;
            pump.release(n);
            released += n;
            pause(lifeMillis / SLICES_PER_LIFE); // the kill's moment is the point: a pause, not a synchronisation
        }
        return released;
    }

    /** Waits until every expected effect is committed, or the egress stops making progress. */
    private void awaitEffects(Path data) {
        try (EgressTally effects = new EgressTally(egressFolder(data, ChaosFunction.EFFECTS))) {
            awaitUntil(effects, () -> missingEffects(effects) == 0, "effects");
        }
    }

    private long missingEffects(EgressTally effects) {
        return plan.expectedEffects().keySet().stream().filter(k -> !effects.counts().containsKey(k)).count();
    }

    private void sendReports(IngressSender sender) {
        long deadline = System.currentTimeMillis() + SEND_DEADLINE_MILLIS;
        for (String code : plan.addresses()) {
            sender.send(code, ChaosMessage.of(ChaosMessage.Kind.REPORT, 0, 0, 0), "chaos-report-" + code, deadline);
        }
    }

    private void awaitReports(Path data) {
        try (EgressTally reports = new EgressTally(egressFolder(data, ChaosFunction.REPORTS))) {
            awaitUntil(reports, () -> reports.total() >= plan.addresses().size(), "reports");
        }
    }

    /** Polls {@code tally} until {@code done} holds, or it read nothing new for {@link #STALL_MILLIS}. */
    private void awaitUntil(EgressTally tally, java.util.function.BooleanSupplier done, String what) {
        long lastProgress = System.currentTimeMillis();
        while (true) {
            if (tally.poll() > 0) {
                lastProgress = System.currentTimeMillis();
            }
            if (done.getAsBoolean()) {
                return;
            }
            if (System.currentTimeMillis() - lastProgress > STALL_MILLIS) {
                problems.add("the committed " + what + " stopped growing at " + tally.total() + " records");
                return;
            }
            pause(POLL_MILLIS);
        }
    }

    private ChaosResult verify(Path data) {
        List<String> deadLetters;
        ChaosResult result;
        try (EgressTally effects = new EgressTally(egressFolder(data, ChaosFunction.EFFECTS));
                EgressTally reports = new EgressTally(egressFolder(data, ChaosFunction.REPORTS));
                EgressTally dead = new EgressTally(egressFolder(data, DeadLetters.EGRESS))) {
            effects.poll();
            reports.poll();
            dead.poll();
            deadLetters = dead.records();
            result = new ChaosVerifier(plan).verify(options.seed(), kills, effects.counts(), reports.records(),
                    PendingTimers.newest(data.resolve("snapshots")));
        }
        for (int i = 0; i < Math.min(10, deadLetters.size()); i++) {
            problems.add("dead letter: " + deadLetters.get(i));
        }
        return result;
    }

    private static Path egressFolder(Path data, TypeName egress) {
        return data.resolve("egress").resolve(egress.namespace()).resolve(egress.name());
    }

    private Path workFolder() {
        try {
            if (options.dir() == null) {
                return Files.createTempDirectory("stator-chaos-");
            }
            Files.createDirectories(options.dir());
            try (Stream<Path> entries = Files.list(options.dir())) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("the chaos work folder " + options.dir() + " is not empty");
                }
            }
            return options.dir();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the chaos work folder: " + e.getMessage(), e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the chaos run was interrupted", e);
        }
    }
}
