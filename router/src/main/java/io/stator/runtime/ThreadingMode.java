package io.stator.runtime;

/** How partitions get CPU time. */
public enum ThreadingMode {
    /** Each partition runs on its own thread with the configured idle strategy. */
    DEDICATED,
    /**
     * No threads: the caller steps every partition with {@link Stator#doWork()}. For deterministic tests and
     * benchmarks.
     */
    INVOKER
}
