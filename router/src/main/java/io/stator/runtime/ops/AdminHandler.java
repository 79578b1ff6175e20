package io.stator.runtime.ops;

import io.stator.remote.client.RemoteEndpointRegistry;
import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.runtime.Stator;
import io.stator.runtime.StatorNode;
import io.stator.runtime.snapshot.SnapshotStatus;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.state.SnapshotStore;
import io.stator.web.internal.FullBody;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API under {@value #PATH_PREFIX} (JSON answers, one-line text refusals):
 * <pre>
 * GET    /v1/admin/functions                    embedded function types and remote endpoints
 * GET    /v1/admin/endpoints                    the remote endpoints called now
 * PUT    /v1/admin/endpoints                    register or replace one (body: the module.yaml spec, JSON or YAML)
 * DELETE /v1/admin/endpoints/{functions}        remove the endpoint of a pattern, e.g. example/*
 * GET    /v1/admin/state/{namespace}/{type}/{id}  one embedded address's declared state: 403 unless enabled
 * POST   /v1/admin/savepoints[?name=NAME]       write a savepoint (on a node: DATA/savepoints/NAME) and answer it
 * </pre>
 * Endpoint changes take effect on the partitions' next call, without a restart, through the
 * {@link RemoteEndpointRegistry} given in {@link OpsOptions#endpointRegistry}; without one they answer 501.
 *
 * <p>State reads run on the address's partition thread ({@code Stator.readState}): the write-back cache is
 * single-threaded. They show embedded functions' declared state only; a remote function's state specs are known
 * only to the partitions that called it.
 *
 * <p>On a node a savepoint is {@link StatorNode#savepoint}: a snapshot taken now and copied to
 * {@code DATA/savepoints/NAME}, which {@code ./stator run --from} starts from. On a bare runtime it is only a
 * snapshot in the runtime's snapshot store (if any), subject to its retention.
 *
 * <p>Mount it behind {@link BearerTokenGuard}; request bodies are limited to {@link OpsOptions#maxBodyBytes()}.
 */
final class AdminHandler implements HttpHandler {
    /** Where the admin API is mounted. */
    static final String PATH_PREFIX = "/v1/admin";
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

    private final OpsSources sources;
    private final OpsOptions options;

    AdminHandler(OpsSources sources, OpsOptions options) {
        this.sources = Objects.requireNonNull(sources, "sources");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        FullBody.receive(exchange, options.maxBodyBytes(), (ex, size) -> OpsHttp.text(ex, 413, "request body of "
                + size + " exceeds the limit of " + options.maxBodyBytes() + " bytes"), this::handle);
    }

    /** Answers the request, on a worker thread, with its whole body (empty for most). */
    private void handle(HttpServerExchange exchange, byte[] body) {
        List<String> path = segments(exchange.getRelativePath());
        try {
            route(exchange, path, body);
        } catch (OpsProblem problem) {
            OpsHttp.text(exchange, problem.status(), problem.getMessage());
        } catch (RuntimeException e) {
            LOG.error("admin request {} {} failed", exchange.getRequestMethod(), exchange.getRequestPath(), e);
            OpsHttp.text(exchange, 500, "admin request failed: " + e);
        }
    }

    private void route(HttpServerExchange exchange, List<String> path, byte[] body) {
        HttpString method = exchange.getRequestMethod();
        String first = path.isEmpty() ? "" : path.get(0);
        switch (first) {
            case "functions" -> {
                requireExactly(path, 1);
                requireMethod(exchange, "GET", Methods.GET);
                OpsHttp.json(exchange, 200, functions());
            }
            case "endpoints" -> endpoints(exchange, method, path, body);
            case "state" -> {
                requireMethod(exchange, "GET", Methods.GET);
                state(exchange, path);
            }
            case "savepoints" -> {
                requireExactly(path, 1);
                requireMethod(exchange, "POST", Methods.POST);
                OpsHttp.json(exchange, 200, savepoint(exchange));
            }
            default -> throw OpsProblem.notFound("no admin resource " + exchange.getRequestPath() + "; see GET "
                    + PATH_PREFIX + "/functions, /endpoints, /state/{namespace}/{type}/{id}, /savepoints");
        }
    }

    private void endpoints(HttpServerExchange exchange, HttpString method, List<String> path, byte[] body) {
        if (path.size() == 1) {
            if (Methods.GET.equals(method)) {
                OpsHttp.json(exchange, 200, endpointList());
            } else if (Methods.PUT.equals(method)) {
                register(exchange, body);
            } else {
                OpsHttp.methodNotAllowed(exchange, "GET, PUT");
            }
            return;
        }
        if (!Methods.DELETE.equals(method)) {
            OpsHttp.methodNotAllowed(exchange, "DELETE");
            return;
        }
        remove(exchange, String.join("/", path.subList(1, path.size())));
    }

    private void register(HttpServerExchange exchange, byte[] body) {
        RemoteEndpointRegistry registry = changeableRegistry();
        requireTextBody(exchange);
        RemoteEndpointSpec spec = EndpointSpecBody.parse(body);
        RemoteEndpointSpec replaced = registry.put(spec);
        LOG.info("admin API: remote endpoint {} {} -> {}", spec.functions(), replaced == null ? "registered" : "replaced",
                spec.urlPathTemplate());
        JsonWriter w = new JsonWriter().beginObject().name("registered");
        AdminJson.endpoint(w, spec);
        w.field("replaced", replaced != null).field("version", registry.version());
        w.name("embeddedTypesWin").beginArray();
        for (TypeName type : sources.stator().config().functions().keySet()) {
            if (spec.matches(type)) {
                w.value(type.asString()); // an embedded function of the same type is called instead
            }
        }
        w.endArray().endObject();
        OpsHttp.json(exchange, replaced == null ? 201 : 200, w.toString());
    }

    private void remove(HttpServerExchange exchange, String functions) {
        RemoteEndpointRegistry registry = changeableRegistry();
        RemoteEndpointSpec removed = registry.remove(functions);
        if (removed == null) {
            throw OpsProblem.notFound("no remote endpoint is registered for functions '" + functions + "'; registered: "
                    + registry.snapshot().patterns());
        }
        LOG.info("admin API: remote endpoint {} removed", functions);
        JsonWriter w = new JsonWriter().beginObject().name("removed");
        AdminJson.endpoint(w, removed);
        w.field("version", registry.version()).endObject();
        OpsHttp.json(exchange, 200, w.toString());
    }

    private void state(HttpServerExchange exchange, List<String> path) {
        if (path.size() < 4) {
            throw OpsProblem.badRequest("expected " + PATH_PREFIX + "/state/{namespace}/{type}/{id}, got "
                    + String.join("/", path));
        }
        if (!options.stateReads()) {
            throw OpsProblem.forbidden("state reads are off: they reveal user data; start the runtime with"
                    + " ./stator run --allow-state-reads (embedded: OpsOptions.stateReads)");
        }
        io.stator.sdk.Address address;
        try {
            String id = String.join("/", path.subList(3, path.size()));
            address = new io.stator.sdk.Address(io.stator.sdk.TypeName.typeNameOf(path.get(1), path.get(2)), id);
        } catch (IllegalArgumentException e) {
            throw OpsProblem.badRequest(e.getMessage());
        }
        java.util.Map<String, String> values;
        try {
            values = sources.stator().readState(address).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw OpsProblem.notFound(bad.getMessage());
            }
            throw OpsProblem.serverError("reading the state of " + address + " failed: " + e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw OpsProblem.serverError("the partition did not answer within 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OpsProblem.serverError("interrupted");
        }
        JsonWriter w = new JsonWriter().beginObject().field("address", address.toString()).name("state").beginObject();
        values.forEach((name, value) -> {
            w.name(name);
            if (value == null) {
                w.nullValue();
            } else {
                w.value(value);
            }
        });
        OpsHttp.json(exchange, 200, w.endObject().endObject().toString());
    }

    /** Writes a savepoint through the node, which copies the snapshot into its data folder. */
    private String savepoint(HttpServerExchange exchange) {
        StatorNode node = sources.nodeOrNull();
        if (node == null) {
            return snapshotNow();
        }
        java.util.Deque<String> names = exchange.getQueryParameters().get("name");
        String name = names == null || names.isEmpty() ? null : names.getFirst();
        Path folder;
        try {
            folder = node.savepoint(name);
        } catch (IllegalArgumentException e) {
            throw OpsProblem.badRequest(e.getMessage()); // a bad or taken name
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw OpsProblem.serverError("the savepoint failed: " + e.getMessage());
        }
        LOG.info("admin API: savepoint written to {}", folder);
        SnapshotStatus status = node.stator().snapshotStatus();
        return new JsonWriter().beginObject()
                .field("savepoint", folder.toAbsolutePath().toString())
                .field("snapshotId", status.lastId())
                .field("committedEpoch", status.committedEpoch())
                .field("note", "start from it with ./stator run --from " + folder.toAbsolutePath())
                .endObject().toString();
    }

    /** On a bare runtime: takes a snapshot now and waits (bounded) for it on this worker thread. */
    private String snapshotNow() {
        Stator stator = sources.stator();
        CompletableFuture<Long> done;
        try {
            done = stator.snapshotNow();
        } catch (IllegalStateException e) {
            throw OpsProblem.conflict("cannot take a savepoint: " + e.getMessage());
        }
        long timeoutMillis = options.savepointTimeout().toMillis();
        long id;
        try {
            id = done.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw OpsProblem.timeout("the savepoint's snapshot did not complete within " + timeoutMillis + " ms; it goes"
                    + " on in the background: watch the snapshot section of GET " + OpsHandlers.STATUS_PATH);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw OpsProblem.serverError("the savepoint's snapshot failed: " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OpsProblem.unavailable("interrupted while waiting for the savepoint's snapshot");
        }
        LOG.info("admin API: savepoint taken, snapshot {}", id);
        SnapshotStore store = stator.config().snapshotStore();
        SnapshotStatus status = stator.snapshotStatus();
        JsonWriter w = new JsonWriter().beginObject()
                .field("snapshotId", id)
                .field("store", store == null ? null : store.describe())
                .field("committedEpoch", status.committedEpoch());
        if (status.lastId() == id) {
            w.field("durationNanos", status.durationNanos()).field("bytes", status.bytes())
                    .field("pauseNanos", status.pauseNanos());
        }
        return w.field("note", store == null ? "this runtime has no snapshot store: the snapshot committed output but"
                + " kept no state" : "restore with ./stator run --from <the store's folder>; copy the snapshot's folder"
                + " away to keep it past the store's retention").endObject().toString();
    }

    private String functions() {
        JsonWriter w = new JsonWriter().beginObject().name("embedded").beginArray();
        for (StatefulFunctionSpec spec : sources.stator().config().functions().values()) {
            w.beginObject().field("type", spec.typeName().asString()).name("state").beginArray();
            for (String state : spec.valueSpecs().keySet()) {
                w.value(state);
            }
            w.endArray().endObject();
        }
        w.endArray().name("remote").beginArray();
        for (RemoteEndpointSpec spec : RuntimeSample.currentEndpoints(sources.stator(), options)) {
            AdminJson.endpoint(w, spec);
        }
        w.endArray().name("remoteTypesSeen").beginArray();
        for (FunctionSample f : RuntimeSample.take(sources, options).functions) {
            if (f.remote()) {
                w.value(f.type().asString());
            }
        }
        return w.endArray().field("endpointsChangeable", options.endpointRegistry() != null).endObject().toString();
    }

    private String endpointList() {
        JsonWriter w = new JsonWriter().beginObject().name("endpoints").beginArray();
        for (RemoteEndpointSpec spec : RuntimeSample.currentEndpoints(sources.stator(), options)) {
            AdminJson.endpoint(w, spec);
        }
        w.endArray();
        if (options.endpointRegistry() != null) {
            w.field("version", options.endpointRegistry().version());
        }
        return w.field("changeable", options.endpointRegistry() != null).endObject().toString();
    }

    private RemoteEndpointRegistry changeableRegistry() {
        RemoteEndpointRegistry registry = options.endpointRegistry();
        if (registry == null) {
            throw OpsProblem.notImplemented("this runtime's remote endpoints cannot be changed while it runs: it was"
                    + " started without an endpoint registry");
        }
        return registry;
    }

    private static void requireTextBody(HttpServerExchange exchange) {
        String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (type == null) {
            return;
        }
        String t = type.toLowerCase(Locale.ROOT);
        if (!t.startsWith("application/json") && !t.contains("yaml") && !t.startsWith("text/")) {
            throw OpsProblem.unsupportedMediaType("content type " + type + " is not accepted; send the endpoint spec as"
                    + " application/json or application/yaml");
        }
    }

    private static void requireMethod(HttpServerExchange exchange, String allowed, HttpString method) {
        if (!method.equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, allowed);
            throw OpsProblem.methodNotAllowed("method " + exchange.getRequestMethod() + " not allowed on "
                    + exchange.getRequestPath() + "; use " + allowed);
        }
    }

    private static void requireExactly(List<String> path, int segments) {
        if (path.size() != segments) {
            throw OpsProblem.notFound("no admin resource /" + String.join("/", path));
        }
    }

    private static List<String> segments(String relativePath) {
        List<String> out = new ArrayList<>(Arrays.asList(relativePath.split("/")));
        out.removeIf(String::isEmpty);
        return out;
    }
}
