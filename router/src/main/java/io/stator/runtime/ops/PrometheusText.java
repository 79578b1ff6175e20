package io.stator.runtime.ops;

import java.util.HashSet;
import java.util.Set;

/**
 * Writes Prometheus' text exposition format (version 0.0.4): one {@code # HELP} and {@code # TYPE} line per
 * metric family, then its samples. Label values are escaped as the format requires; a family is declared once
 * (declaring it again is a bug in the caller and fails).
 *
 * <pre>
 * # HELP stator_partition_messages_processed_total Messages dispatched to functions.
 * # TYPE stator_partition_messages_processed_total counter
 * stator_partition_messages_processed_total{partition="0"} 1234
 * </pre>
 */
final class PrometheusText {
    /** The content type of this format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(16_384);
    private final Set<String> declared = new HashSet<>();

    /** Starts a counter family. */
    PrometheusText counter(String name, String help) {
        return family(name, "counter", help);
    }

    /** Starts a gauge family. */
    PrometheusText gauge(String name, String help) {
        return family(name, "gauge", help);
    }

    /** Starts a histogram family; write its samples with {@link #sample} on name_bucket, name_sum, name_count. */
    PrometheusText histogram(String name, String help) {
        return family(name, "histogram", help);
    }

    /** Writes a sample with an integer value; {@code labels} alternate names and values. */
    PrometheusText sample(String name, long value, String... labels) {
        start(name, labels);
        out.append(value).append('\n');
        return this;
    }

    /** Writes a sample with a floating-point value; {@code labels} alternate names and values. */
    PrometheusText sample(String name, double value, String... labels) {
        start(name, labels);
        if (Double.isNaN(value)) {
            out.append("NaN");
        } else if (Double.isInfinite(value)) {
            out.append(value > 0 ? "+Inf" : "-Inf");
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value); // whole numbers read better without ".0"
        } else {
            out.append(value);
        }
        out.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private PrometheusText family(String name, String type, String help) {
        if (!declared.add(name)) {
            throw new IllegalStateException("metric family " + name + " is declared twice");
        }
        out.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\n') {
                out.append("\\n");
            } else {
                out.append(c);
            }
        }
        out.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    private void start(String name, String[] labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels of " + name + " must be name/value pairs, got " + labels.length);
        }
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escapeLabelValue(labels[i + 1]);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ');
    }

    private void escapeLabelValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }
}
