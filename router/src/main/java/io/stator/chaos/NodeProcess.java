package io.stator.chaos;

import io.stator.runtime.ChildJvmLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One life of the chaos node: a child JVM running {@link ChaosNode} on the run's data folder, with the JVM flags
 * of the {@code ./stator} launcher and this JVM's classpath. Its standard output and error go to files in the
 * work folder ({@code node-N.out}, {@code node-N.log}), kept for diagnosis.
 */
final class NodeProcess {
    /** The JVM flags Chronicle Queue and Agrona need on Java 17, as the {@code ./stator} script passes them. */
    static final List<String> JVM_FLAGS = io.stator.runtime.JvmFlags.ALL;
    /** Small and quick to start: the node holds little, and several JVMs share two cores. */
    private static final List<String> SIZE_FLAGS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final long START_TIMEOUT_MILLIS = 120_000;

    private final Process process;
    private final int life;
    private final Path out;
    private final Path log;
    private int port = -1;

    private NodeProcess(Process process, int life, Path out, Path log) {
        this.process = process;
        this.life = life;
        this.out = out;
        this.log = log;
    }

    /** Starts life {@code life} of the node and waits until it serves HTTP (see {@link #awaitUp()}). */
    static NodeProcess start(Path workDir, int life, Path dataDir, String remoteBaseUrl, int partitions,
            ChaosOptions options) {
        NodeProcess node = launch(workDir, life, dataDir, remoteBaseUrl, partitions, options);
        node.awaitUp();
        return node;
    }

    /** Starts life {@code life} of the node without waiting for it (to kill it while it recovers). */
    static NodeProcess launch(Path workDir, int life, Path dataDir, String remoteBaseUrl, int partitions,
            ChaosOptions options) {
        Path out = workDir.resolve("node-" + life + ".out");
        Path log = workDir.resolve("node-" + life + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(io.stator.runtime.JvmFlags.classDataSharing());
        command.addAll(SIZE_FLAGS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChaosNode.class.getName());
        command.add(dataDir.toString());
        command.add(remoteBaseUrl);
        command.add(Integer.toString(partitions));
        command.add(Integer.toString(options.snapshotIntervalMillis()));
        command.add(Integer.toString(options.inboxBytes()));
        command.add(Integer.toString(options.cacheEntries()));
        command.add(Long.toString(options.changelogPartBytes()));
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
            return new NodeProcess(process, life, out, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the chaos node: " + e.getMessage(), e);
        }
    }

    /**
     * Waits until the node serves HTTP.
     *
     * @throws IllegalStateException with the end of its log if it exits or stays silent for two minutes
     */
    void awaitUp() {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            for (String line : ChildJvmLog.lines(out)) {
                if (line.startsWith(ChaosNode.PORT_LINE)) {
                    port = Integer.parseInt(line.substring(ChaosNode.PORT_LINE.length()).trim());
                    return;
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("chaos node life " + life + " exited with status " + process.exitValue()
                        + " before serving HTTP; its log " + log + " ends: " + ChildJvmLog.tail(log, 5));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        process.destroyForcibly();
        throw new IllegalStateException("chaos node life " + life + " did not serve HTTP within "
                + START_TIMEOUT_MILLIS / 1000 + " s; its log " + log + " ends: " + ChildJvmLog.tail(log, 5));
    }

    /** @return the node's HTTP base URL; only once it is up */
    String baseUrl() {
        if (port < 0) {
            throw new IllegalStateException("chaos node life " + life + " is not up yet");
        }
        return "http://127.0.0.1:" + port;
    }

    /** @return which life of the node this is, from 0 */
    int life() {
        return life;
    }

    /** @return the node's log file (its standard error) */
    Path log() {
        return log;
    }

    /** Kills the node with SIGKILL ({@link Process#destroyForcibly()} on Linux) and waits until it is gone. */
    void kill() {
        process.destroyForcibly();
        awaitExit(60_000);
    }

    /**
     * Stops the node with SIGTERM: it drains, takes a last snapshot and exits. Kills it if it takes longer than
     * {@code timeoutMillis}.
     *
     * @return whether it stopped by itself
     */
    boolean stop(long timeoutMillis) {
        process.destroy();
        if (awaitExit(timeoutMillis)) {
            return true;
        }
        kill();
        return false;
    }

    private boolean awaitExit(long timeoutMillis) {
        try {
            return process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while waiting for chaos node life " + life + " to exit", e);
        }
    }
}
