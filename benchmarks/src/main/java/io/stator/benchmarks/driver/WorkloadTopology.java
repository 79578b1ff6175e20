package io.stator.benchmarks.driver;

import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.remote.server.RemoteFunctionServer;
import io.stator.runtime.StatorConfig;
import io.stator.sdk.TypeName;

/**
 * The functions of one workload and how its messages flow: which function type the producer addresses, how a
 * message's egress record is keyed, and for W2 the remote function server it needs (started here, stopped by
 * {@link #close()}).
 */
final class WorkloadTopology implements AutoCloseable {
    private final Workload workload;
    private final KeySpace keys;
    private final RemoteFunctionServer server;
    private final boolean reminders;

    private WorkloadTopology(Workload workload, KeySpace keys, RemoteFunctionServer server, boolean reminders) {
        this.workload = workload;
        this.keys = keys;
        this.server = server;
        this.reminders = reminders;
    }

    /**
     * Prepares a workload's functions; for W2 starts the remote function server on 127.0.0.1.
     *
     * @param reminders whether W1's and W4's counters keep a delayed message to themselves pending
     * @throws IllegalArgumentException if the workload has no message flow of its own (W5)
     */
    static WorkloadTopology start(Workload workload, KeySpace keys, boolean reminders) {
        return switch (workload) {
            case W0, W1, W3, W4 -> new WorkloadTopology(workload, keys, null, reminders);
            case W2 -> new WorkloadTopology(workload, keys, RemoteFunctionServer.builder()
                    .withFunction(BenchFunctions.counter(BenchFunctions.REMOTE_COUNTER))
                    .withFunctionsOnIoThreads(true) // the counter never blocks
                    .bind("127.0.0.1", 0)
                    .start(), false);
            case W5 -> throw new IllegalArgumentException("workload W5 has no message flow of its own");
        };
    }

    /** Adds the workload's functions (embedded ones, or the remote endpoint) to a runtime configuration. */
    void configure(StatorConfig config) {
        switch (workload) {
            case W0 -> config.withFunction(BenchFunctions.echo());
            case W1, W4 -> config.withFunction(reminders ? BenchFunctions.counterWithReminder(BenchFunctions.COUNTER)
                    : BenchFunctions.counter(BenchFunctions.COUNTER));
            case W2 -> config.withRemoteEndpoint(RemoteEndpointSpec
                    .builder(BenchFunctions.REMOTE_COUNTER.namespace() + "/*", server.baseUrl() + "{function.name}")
                    .build());
            case W3 -> config
                    .withFunction(BenchFunctions.forwarder(BenchFunctions.CHAIN_A, BenchFunctions.CHAIN_B, keys))
                    .withFunction(BenchFunctions.counter(BenchFunctions.CHAIN_B));
            default -> throw new IllegalStateException("no functions for " + workload);
        }
    }

    /** @return the function type the producer sends every message to */
    TypeName ingressType() {
        return switch (workload) {
            case W0 -> BenchFunctions.ECHO;
            case W2 -> BenchFunctions.REMOTE_COUNTER;
            case W3 -> BenchFunctions.CHAIN_A;
            default -> BenchFunctions.COUNTER;
        };
    }

    /** @return the key whose function emits message {@code index}'s egress record: W3's last hop is on the next key */
    int egressKeyOf(long index) {
        int key = keys.keyOf(index);
        return workload == Workload.W3 ? keys.nextKey(key) : key;
    }

    /** @return the keys of this workload */
    KeySpace keys() {
        return keys;
    }

    /** @return where a workload's functions run, for the output header */
    static String describe(Workload workload) {
        return switch (workload) {
            case W0 -> "embedded " + BenchFunctions.ECHO + " (no state) -> egress " + BenchFunctions.EGRESS;
            case W2 -> "remote " + BenchFunctions.REMOTE_COUNTER + " (counter in state) served by RemoteFunctionServer"
                    + " (functions on its I/O thread) on 127.0.0.1 over HTTP -> egress " + BenchFunctions.EGRESS;
            case W3 -> "embedded " + BenchFunctions.CHAIN_A + " (no state) -> embedded " + BenchFunctions.CHAIN_B
                    + " (counter in state) on the next key -> egress " + BenchFunctions.EGRESS;
            case W5 -> "none";
            default -> "embedded " + BenchFunctions.COUNTER + " (counter in state) -> egress " + BenchFunctions.EGRESS;
        };
    }

    /** Stops the remote function server, if there is one. */
    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
