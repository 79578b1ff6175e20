package io.stator.runtime.ops;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/health}: 200 with {@code {"status":"ok","problems":[]}} (or {@code "degraded"} and its problems),
 * 503 with {@code "failing"} and its problems ({@link NodeHealth}). For load balancers' and orchestrators' probes:
 * read-only, no token, and cheap enough to ask every second (one {@link RuntimeSample}, on a worker thread).
 */
final class HealthHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(HealthHandler.class);

    private final OpsSources sources;
    private final OpsOptions options;
    private final LongSupplier clock;
    private final long sinceMillis;

    HealthHandler(OpsSources sources, OpsOptions options, LongSupplier clockMillis) {
        this.sources = Objects.requireNonNull(sources, "sources");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clockMillis, "clockMillis");
        this.sinceMillis = clockMillis.getAsLong();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!OpsHttp.readOnlyOnWorker(exchange, this)) {
            return;
        }
        try {
            RuntimeSample sample = RuntimeSample.take(sources, options);
            long age = options.healthSnapshotAge() == null ? -1 : options.healthSnapshotAge().toMillis();
            NodeHealth health = NodeHealth.assess(sample.snapshot, sources.stator().config().snapshotIntervalMillis(),
                    age, sinceMillis, clock.getAsLong(), sample.partitions, options.maxIngressLag());
            OpsHttp.json(exchange, health.failing() ? 503 : 200, health.json());
        } catch (RuntimeException e) {
            LOG.warn("checking the node's health failed", e);
            OpsHttp.text(exchange, 500, "checking the node's health failed: " + e);
        }
    }
}
