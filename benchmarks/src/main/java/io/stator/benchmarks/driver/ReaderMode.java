package io.stator.benchmarks.driver;

/** How a run reads its egress: what the runtime's exactly-once and at-least-once outputs look like to a reader. */
enum ReaderMode {
    /** Read-committed: a record is seen once the epoch it belongs to is committed. */
    EXACTLY_ONCE("exactly-once", true),
    /** Read-uncommitted: every record at once, lowest latency. */
    AT_LEAST_ONCE("at-least-once", false);

    private final String label;
    private final boolean readCommitted;

    ReaderMode(String label, boolean readCommitted) {
        this.label = label;
        this.readCommitted = readCommitted;
    }

    /** @return {@code exactly-once} or {@code at-least-once} */
    String label() {
        return label;
    }

    /** @return whether the reader sees committed records only */
    boolean readCommitted() {
        return readCommitted;
    }
}
