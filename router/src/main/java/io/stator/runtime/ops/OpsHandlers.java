package io.stator.runtime.ops;

import io.stator.egress.EgressLogs;
import io.stator.ingress.IngressLog;
import io.stator.runtime.Stator;
import io.stator.runtime.StatorNode;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts the operations endpoints on a runtime's HTTP server:
 * <pre>
 * GET  /                 the status page (and /status.js, /status.css)
 * GET  /v1/status        the page's JSON: cumulative counters of partitions, functions, endpoints, logs
 * GET  /metrics          Prometheus text format
 * GET  /v1/health        200 ok or degraded, 503 failing, with the problems ({@link NodeHealth})
 *      /v1/admin/...     the admin API ({@link AdminHandler}), behind {@link BearerTokenGuard}
 * </pre>
 * {@code /metrics}, {@code /v1/status}, {@code /v1/health} and the page are read-only and stay open; the admin API needs the bearer
 * token whenever one is configured, and always off loopback.
 *
 * <pre>{@code
 * PathHandler paths = Handlers.path()...;
 * OpsHandlers.mount(paths, stator, ingressLog, egressLogs,
 *         OpsOptions.defaults().bindHost(bindHost).token(token).endpointRegistry(registry));
 * }</pre>
 */
public final class OpsHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(OpsHandlers.class);
    /** The Prometheus endpoint. */
    public static final String METRICS_PATH = "/metrics";
    /** The status page's JSON. */
    public static final String STATUS_PATH = "/v1/status";
    /** The health check. */
    public static final String HEALTH_PATH = "/v1/health";
    /** The admin API's prefix. */
    public static final String ADMIN_PATH_PREFIX = AdminHandler.PATH_PREFIX;

    private OpsHandlers() {
    }

    /**
     * Mounts everything for a node, savepoints included; call it once the node is constructed (a
     * {@link PathHandler} takes new paths while it serves).
     *
     * @throws IllegalArgumentException naming a bad option
     */
    public static void mount(PathHandler paths, StatorNode node, OpsOptions options) {
        mount(paths, OpsSources.of(node), options);
    }

    /**
     * Mounts everything from the pieces a node is made of, before the node exists; savepoints are then only
     * snapshots (no copy in the data folder).
     *
     * @param ingressLogOrNull the durable ingress log, or null
     * @param egressLogsOrNull the egress logs, or null
     * @throws IllegalArgumentException naming a bad option
     */
    public static void mount(PathHandler paths, Stator stator, IngressLog ingressLogOrNull, EgressLogs egressLogsOrNull,
            OpsOptions options) {
        mount(paths, new OpsSources(stator, ingressLogOrNull, egressLogsOrNull, null), options);
    }

    /**
     * Mounts everything for the given sources.
     *
     * @throws IllegalArgumentException naming a bad option
     */
    public static void mount(PathHandler paths, OpsSources sources, OpsOptions options) {
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(sources, "sources");
        options.conclude();
        if (options.token() == null && !BearerTokenGuard.isLoopback(options.bindHost())) {
            LOG.warn("HTTP is bound to {}, not loopback, and no token is configured: the admin API and ingress refuse"
                    + " every request until one is (--token-file)", options.bindHost());
        }
        paths.addPrefixPath(METRICS_PATH, new MetricsHandler(sources, options, MetricsHandler.Format.PROMETHEUS))
                .addPrefixPath(STATUS_PATH, new MetricsHandler(sources, options, MetricsHandler.Format.STATUS_JSON))
                .addPrefixPath(HEALTH_PATH, new MetricsHandler(sources, options, MetricsHandler.Format.HEALTH))
                .addPrefixPath(ADMIN_PATH_PREFIX, guard(new AdminHandler(sources, options), options))
                .addPrefixPath("/", new StatusPageHandler());
    }

    /**
     * Puts {@link BearerTokenGuard} in front of a handler with the options' bind address and token: the wrapper
     * for the ingress (and any other endpoint that changes things).
     */
    public static HttpHandler guard(HttpHandler handler, OpsOptions options) {
        return BearerTokenGuard.wrap(handler, options.bindHost(), options.token());
    }
}
