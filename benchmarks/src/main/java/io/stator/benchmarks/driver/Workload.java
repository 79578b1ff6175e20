package io.stator.benchmarks.driver;

import java.util.Locale;

/** The workloads of {@code WORKLOADS.md}, by id, with the name each result line carries. */
enum Workload {
    W0("pipeline-ceiling"),
    W1("embedded-counter"),
    W2("remote-counter"),
    W3("chain"),
    W4("latency"),
    W5("recovery");

    private final String label;

    Workload(String label) {
        this.label = label;
    }

    /** @return the name printed after the id, e.g. {@code embedded-counter} */
    String label() {
        return label;
    }

    /**
     * @param id {@code W0} .. {@code W5}, any case
     * @return the workload
     * @throws BenchUsageException naming the value if it is no workload id
     */
    static Workload parse(String id) {
        for (Workload w : values()) {
            if (w.name().equals(id.toUpperCase(Locale.ROOT))) {
                return w;
            }
        }
        throw new BenchUsageException("unknown workload '" + id + "': expected one of W0, W1, W2, W3, W4, W5");
    }
}
