package io.stator.remote.server;

import io.stator.sdk.StatefulFunctionSpec;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves Stator SDK functions over HTTP with StateFun's request-reply protocol, so that Stator's runtime, or
 * Apache Flink StateFun's, can call them as remote functions. Every path answers: the function is chosen by
 * the request's target address, not by the URL.
 *
 * <pre>{@code
 * try (RemoteFunctionServer server = RemoteFunctionServer.builder()
 *         .withFunction(Greeter.SPEC)
 *         .bind("127.0.0.1", 0)
 *         .start()) {
 *     int port = server.port();
 * }
 * }</pre>
 */
public final class RemoteFunctionServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteFunctionServer.class);

    private final Undertow undertow;
    private final FunctionRequestHandler handler;
    private final String host;
    private final int port;

    private RemoteFunctionServer(Undertow undertow, FunctionRequestHandler handler, String host, int port) {
        this.undertow = undertow;
        this.handler = handler;
        this.host = host;
        this.port = port;
    }

    /** @return a builder for a server */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the port the server listens on (the real one when it was bound to port 0) */
    public int port() {
        return port;
    }

    /** @return the host the server is bound to */
    public String host() {
        return host;
    }

    /** @return {@code http://host:port/}, a URL any function of this server answers on */
    public String baseUrl() {
        return "http://" + host + ":" + port + "/";
    }

    /** @return the transport-independent handler behind the HTTP listener */
    public FunctionRequestHandler handler() {
        return handler;
    }

    /** Stops listening and releases the server's threads. Requests still running are cut off. */
    @Override
    public void close() {
        undertow.stop();
        LOG.info("remote function server on {}:{} stopped", host, port);
    }

    /** Configures and starts a {@link RemoteFunctionServer}. */
    public static final class Builder {
        private final List<StatefulFunctionSpec> functions = new ArrayList<>();
        private String host = "127.0.0.1";
        private int port;
        private int ioThreads = 1;
        private int workerThreads = 8;
        private boolean functionsOnIoThreads;
        private java.time.Duration idleTimeout;
        private int maxConnections;

        private Builder() {
        }

        /** Adds a function to serve. */
        public Builder withFunction(StatefulFunctionSpec function) {
            functions.add(Objects.requireNonNull(function, "function"));
            return this;
        }

        /**
         * Sets the listening address (default {@code 127.0.0.1}, port 0).
         *
         * @param port a port, or 0 for any free port
         * @throws IllegalArgumentException if the port is out of range
         */
        public Builder bind(String host, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535, was " + port);
            }
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            return this;
        }

        /** Sets the number of I/O threads, which only read and write bytes (default 1). */
        public Builder withIoThreads(int threads) {
            this.ioThreads = positive("ioThreads", threads);
            return this;
        }

        /** Sets the number of worker threads, which run the functions (default 8). */
        public Builder withWorkerThreads(int threads) {
            this.workerThreads = positive("workerThreads", threads);
            return this;
        }

        /**
         * Runs the functions on the I/O thread that read each request, instead of handing every request to a
         * worker thread (the default). It saves two thread hand-offs per request, about 30% of the server's CPU
         * per request on loopback, but a function that blocks then stalls every connection of its I/O thread
         * (see {@link #withIoThreads}). Use it only for functions that never block: asynchronous work returned
         * as an unfinished future is fine, its reply is sent by the thread that completes it.
         */
        public Builder withFunctionsOnIoThreads(boolean enabled) {
            this.functionsOnIoThreads = enabled;
            return this;
        }

        /**
         * Closes a connection that keeps the server waiting for bytes this long: in a request's headers, mid-body,
         * or between requests (a runtime's client closes its idle connections sooner: StateFun's and Stator's
         * after 15 s). Without it (the default) a client that goes silent, or a peer gone without a word, holds
         * its socket for good.
         */
        public Builder withIdleTimeout(java.time.Duration timeout) {
            if (timeout.toMillis() < 1) {
                throw new IllegalArgumentException("the idle timeout must be at least 1 ms, was " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Holds at most this many connections open; beyond them the server accepts no more until one closes
         * (default: no bound). Each is a file descriptor.
         */
        public Builder withMaxConnections(int connections) {
            this.maxConnections = positive("maxConnections", connections);
            return this;
        }

        /**
         * Starts the server.
         *
         * @throws IllegalStateException if no function was added
         */
        public RemoteFunctionServer start() {
            if (functions.isEmpty()) {
                throw new IllegalStateException("a remote function server needs at least one function: call withFunction");
            }
            FunctionRequestHandler handler = new FunctionRequestHandler(functions);
            Undertow.Builder undertowBuilder = Undertow.builder()
                    .addHttpListener(port, host)
                    .setIoThreads(ioThreads)
                    .setWorkerThreads(workerThreads)
                    .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                    .setHandler(new ProtocolHttpHandler(handler, functionsOnIoThreads));
            if (idleTimeout != null) { // as the runtime's node does: mid-request, in headers, between requests
                int millis = (int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis());
                undertowBuilder.setSocketOption(org.xnio.Options.READ_TIMEOUT, millis)
                        .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis)
                        .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, millis);
            }
            if (maxConnections > 0) { // XNIO stops accepting at the bound, each I/O thread at its share
                undertowBuilder.setSocketOption(org.xnio.Options.CONNECTION_HIGH_WATER, maxConnections)
                        .setSocketOption(org.xnio.Options.CONNECTION_LOW_WATER, maxConnections);
            }
            Undertow undertow = undertowBuilder.build();
            undertow.start();
            int actualPort = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
            LOG.info("remote function server on {}:{} serves {}", host, actualPort, handler.functionTypes());
            return new RemoteFunctionServer(undertow, handler, host, actualPort);
        }

        private static int positive(String what, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(what + " must be positive, was " + value);
            }
            return value;
        }
    }
}
