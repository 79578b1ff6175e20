package io.stator.runtime.ops;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} (Prometheus text), {@code GET /v1/status} (the status page's JSON) and {@code GET
 * /v1/health} (200, or 503 when failing, for probes; {@link NodeHealth}): each reads a fresh
 * {@link RuntimeSample} per request on a worker thread, so a scrape never runs on an I/O thread and never
 * blocks a partition.
 */
final class MetricsHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsHandler.class);

    /** Which rendering a handler serves. */
    enum Format {
        PROMETHEUS,
        STATUS_JSON,
        /** {@link NodeHealth}: 200 ok or degraded, 503 failing. */
        HEALTH
    }

    private final OpsSources sources;
    private final OpsOptions options;
    private final Format format;
    /** When the handler was mounted: the health check counts the node's age from it before a first snapshot. */
    private final long sinceMillis = System.currentTimeMillis();

    MetricsHandler(OpsSources sources, OpsOptions options, Format format) {
        this.sources = Objects.requireNonNull(sources, "sources");
        this.options = Objects.requireNonNull(options, "options");
        this.format = Objects.requireNonNull(format, "format");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!OpsHttp.readOnlyOnWorker(exchange, this)) {
            return;
        }
        try {
            RuntimeSample sample = RuntimeSample.take(sources, options);
            switch (format) {
                case PROMETHEUS -> OpsHttp.send(exchange, 200, PrometheusText.CONTENT_TYPE,
                        PrometheusMetrics.render(sample));
                case STATUS_JSON -> OpsHttp.json(exchange, 200, StatusJson.render(sample));
                case HEALTH -> {
                    long age = options.healthSnapshotAge() == null ? -1 : options.healthSnapshotAge().toMillis();
                    NodeHealth health = NodeHealth.assess(sample.snapshot,
                            sources.stator().config().snapshotIntervalMillis(), age, sinceMillis,
                            System.currentTimeMillis(), sample.partitions, options.maxIngressLag());
                    OpsHttp.json(exchange, health.failing() ? 503 : 200, health.json());
                }
                default -> throw new IllegalStateException("format " + format);
            }
        } catch (RuntimeException e) {
            LOG.warn("reading the runtime's metrics failed", e);
            OpsHttp.text(exchange, 500, "reading the runtime's metrics failed: " + e);
        }
    }
}
