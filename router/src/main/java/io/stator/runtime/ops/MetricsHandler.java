package io.stator.runtime.ops;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} (Prometheus text) and {@code GET /v1/status} (the status page's JSON): both read a fresh
 * {@link RuntimeSample} per request on a worker thread, so a scrape never runs on an I/O thread and never
 * blocks a partition.
 */
final class MetricsHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsHandler.class);

    /** Which rendering a handler serves. */
    enum Format {
        PROMETHEUS,
        STATUS_JSON
    }

    private final OpsSources sources;
    private final OpsOptions options;
    private final Format format;

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
            if (format == Format.PROMETHEUS) {
                OpsHttp.send(exchange, 200, PrometheusText.CONTENT_TYPE, PrometheusMetrics.render(sample));
            } else {
                OpsHttp.json(exchange, 200, StatusJson.render(sample));
            }
        } catch (RuntimeException e) {
            LOG.warn("reading the runtime's metrics failed", e);
            OpsHttp.text(exchange, 500, "reading the runtime's metrics failed: " + e);
        }
    }
}
