package io.stator.remote.client;

import io.stator.sdk.TypeName;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Where and how to call a group of remote functions: one StateFun HTTP endpoint document
 * ({@code kind: io.statefun.endpoints.v2/http}, or the older {@code v1}). It matches either one function type
 * ({@code functions: example/greeter}) or a whole namespace ({@code functions: example/*}), and builds each
 * function's URL from {@code urlPathTemplate} by replacing {@code {function.name}} with the type's name.
 *
 * <pre>{@code
 * RemoteEndpointSpec spec = RemoteEndpointSpec.fromYaml(documentSpecMap);          // from module.yaml
 * RemoteEndpointSpec same = RemoteEndpointSpec.builder("example/*", "http://fn:8000/{function.name}")
 *         .withCallTimeout(Duration.ofSeconds(30)).build();                       // in code
 * }</pre>
 *
 * <p>Timeouts follow StateFun: {@code call} bounds a whole call including retries; {@code connect},
 * {@code read} and {@code write} bound single socket operations and may not exceed {@code call}. Immutable.
 */
public final class RemoteEndpointSpec {
    /** The current StateFun endpoint kind. */
    public static final String KIND_V2 = "io.statefun.endpoints.v2/http";
    /** The StateFun 3.0 endpoint kind, with {@code timeouts} directly under {@code spec}. */
    public static final String KIND_V1 = "io.statefun.endpoints.v1/http";
    /** StateFun's default bound on a per-address backlog. */
    public static final int DEFAULT_MAX_NUM_BATCH_REQUESTS = 1000;
    /** The placeholder in {@code urlPathTemplate} replaced by the function type's name. */
    public static final String FUNCTION_NAME_PLACEHOLDER = "{function.name}";

    /** The transport a document asks for. Stator always calls with OkHttp; the kind only selects the defaults. */
    public enum Transport {
        /** {@code io.statefun.transports.v1/okhttp}: call 1 min, connect/read/write 10 s. */
        OKHTTP("io.statefun.transports.v1/okhttp"),
        /** {@code io.statefun.transports.v1/async} (StateFun's default since 3.2): call 2 min, connect 20 s. */
        ASYNC("io.statefun.transports.v1/async");

        private final String typeName;

        Transport(String typeName) {
            this.typeName = typeName;
        }

        /** @return the transport's StateFun type name */
        public String typeName() {
            return typeName;
        }
    }

    private final String namespace;
    private final String functionName;
    private final String urlPathTemplate;
    private final int maxNumBatchRequests;
    private final Transport transport;
    private final Duration callTimeout;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration writeTimeout;
    private final Duration poolTtl;
    private final int poolSize;
    private final int payloadMaxBytes;

    private RemoteEndpointSpec(Builder b, Duration call, Duration connect, Duration read, Duration write) {
        this.namespace = b.namespace;
        this.functionName = b.functionName;
        this.urlPathTemplate = b.urlPathTemplate;
        this.maxNumBatchRequests = b.maxNumBatchRequests;
        this.transport = b.transport;
        this.callTimeout = call;
        this.connectTimeout = connect;
        this.readTimeout = read;
        this.writeTimeout = write;
        this.poolTtl = b.poolTtl;
        this.poolSize = b.poolSize;
        this.payloadMaxBytes = b.payloadMaxBytes;
    }

    /**
     * Parses the {@code spec:} map of an {@code io.statefun.endpoints.v2/http} document, as snakeyaml returns it.
     *
     * @throws IllegalArgumentException naming the field path (e.g. {@code spec.maxNumBatchRequests}) of an
     *     unknown, missing or ill-typed field
     */
    public static RemoteEndpointSpec fromYaml(Map<String, ?> spec) {
        return EndpointSpecParser.parse(KIND_V2, spec);
    }

    /**
     * Parses the {@code spec:} map of an endpoint document of the given kind ({@link #KIND_V2} or {@link #KIND_V1}).
     *
     * @throws IllegalArgumentException if the kind is not an HTTP endpoint kind, or naming the bad field
     */
    public static RemoteEndpointSpec fromYaml(String kind, Map<String, ?> spec) {
        return EndpointSpecParser.parse(kind, spec);
    }

    /**
     * @param functions       {@code namespace/name} or {@code namespace/*}
     * @param urlPathTemplate an http or https URL, optionally with {@code {function.name}}
     * @return a builder with StateFun's defaults (async transport)
     * @throws IllegalArgumentException naming the value if either is malformed
     */
    public static Builder builder(String functions, String urlPathTemplate) {
        return new Builder(functions, urlPathTemplate);
    }

    /** @return whether this endpoint serves {@code functionType} */
    public boolean matches(TypeName functionType) {
        return namespace.equals(functionType.namespace()) && (functionName == null || functionName.equals(functionType.name()));
    }

    /** @return whether this endpoint names one function type rather than a whole namespace */
    public boolean isSpecificFunction() {
        return functionName != null;
    }

    /** @return the URL to POST {@code functionType}'s batches to */
    public String urlFor(TypeName functionType) {
        return urlPathTemplate.replace(FUNCTION_NAME_PLACEHOLDER, functionType.name());
    }

    /** @return the function pattern, {@code namespace/name} or {@code namespace/*} */
    public String functions() {
        return namespace + "/" + (functionName == null ? "*" : functionName);
    }

    /** @return the URL template, with {@code {function.name}} not yet replaced */
    public String urlPathTemplate() {
        return urlPathTemplate;
    }

    /** @return how many invocations may wait for one address before the runtime stops reading ingress */
    public int maxNumBatchRequests() {
        return maxNumBatchRequests;
    }

    /** @return the transport the document named (it selects the timeout defaults) */
    public Transport transport() {
        return transport;
    }

    /** @return the budget of one call, retries and back-off included */
    public Duration callTimeout() {
        return callTimeout;
    }

    /** @return the timeout for opening a TCP connection */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return the timeout of one socket read */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** @return the timeout of one socket write */
    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** @return {@code pool_ttl}; recorded only: the runtime's shared OkHttp client owns the connection pool */
    public Duration poolTtl() {
        return poolTtl;
    }

    /** @return {@code pool_size}; recorded only, like {@link #poolTtl()} */
    public int poolSize() {
        return poolSize;
    }

    /** @return the largest reply body accepted, in bytes */
    public int payloadMaxBytes() {
        return payloadMaxBytes;
    }

    @Override
    public String toString() {
        return "RemoteEndpointSpec[" + functions() + " -> " + urlPathTemplate + ", maxNumBatchRequests="
                + maxNumBatchRequests + ", call=" + callTimeout + "]";
    }

    /**
     * Builds a {@link RemoteEndpointSpec}. Timeouts that are not set explicitly take the transport's default,
     * lowered to the call timeout when that is shorter.
     */
    public static final class Builder {
        private final String namespace;
        private final String functionName;
        private final String urlPathTemplate;
        private int maxNumBatchRequests = DEFAULT_MAX_NUM_BATCH_REQUESTS;
        private Transport transport = Transport.ASYNC;
        private Duration callTimeout;
        private Duration connectTimeout;
        private Duration readTimeout;
        private Duration writeTimeout;
        private Duration poolTtl = Duration.ofSeconds(15);
        private int poolSize = 1024;
        private int payloadMaxBytes = 32 * 1024 * 1024;

        private Builder(String functions, String urlPathTemplate) {
            Objects.requireNonNull(functions, "functions");
            TypeName pattern = TypeName.parse(functions);
            if (pattern.namespace().contains("*") || (pattern.name().contains("*") && !pattern.name().equals("*"))) {
                throw new IllegalArgumentException("functions '" + functions
                        + "' is not a valid target: use <namespace>/<name> or <namespace>/*");
            }
            this.namespace = pattern.namespace();
            this.functionName = pattern.name().equals("*") ? null : pattern.name();
            this.urlPathTemplate = checkUrl(Objects.requireNonNull(urlPathTemplate, "urlPathTemplate"));
        }

        private static String checkUrl(String template) {
            String sample = template.replace(FUNCTION_NAME_PLACEHOLDER, "fn");
            if (sample.startsWith("http+unix:") || sample.startsWith("https+unix:")) {
                throw new IllegalArgumentException("urlPathTemplate '" + template
                        + "': UNIX domain socket endpoints are not supported by Stator; use http or https");
            }
            if (HttpUrl.parse(sample) == null) {
                throw new IllegalArgumentException("urlPathTemplate '" + template + "' is not an http or https URL");
            }
            return template;
        }

        /** Sets the per-address backlog bound (default 1000). @throws IllegalArgumentException if not positive */
        public Builder withMaxNumBatchRequests(int max) {
            if (max <= 0) {
                throw new IllegalArgumentException("maxNumBatchRequests must be positive, was " + max);
            }
            this.maxNumBatchRequests = max;
            return this;
        }

        /** Sets the transport kind, which selects the timeout defaults (default {@link Transport#ASYNC}). */
        public Builder withTransport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** Sets the budget of one call, retries included. @throws IllegalArgumentException if not positive */
        public Builder withCallTimeout(Duration timeout) {
            this.callTimeout = positive("call timeout", timeout);
            return this;
        }

        /** Sets the TCP connect timeout. @throws IllegalArgumentException if not positive */
        public Builder withConnectTimeout(Duration timeout) {
            this.connectTimeout = positive("connect timeout", timeout);
            return this;
        }

        /** Sets the timeout of one socket read. @throws IllegalArgumentException if not positive */
        public Builder withReadTimeout(Duration timeout) {
            this.readTimeout = positive("read timeout", timeout);
            return this;
        }

        /** Sets the timeout of one socket write. @throws IllegalArgumentException if not positive */
        public Builder withWriteTimeout(Duration timeout) {
            this.writeTimeout = positive("write timeout", timeout);
            return this;
        }

        /** Records {@code pool_ttl} (see {@link RemoteEndpointSpec#poolTtl()}); zero disables expiry, as in StateFun. */
        public Builder withPoolTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "pool ttl");
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("pool ttl must not be negative, was " + ttl);
            }
            this.poolTtl = ttl;
            return this;
        }

        /** Records {@code pool_size} (see {@link RemoteEndpointSpec#poolSize()}). @throws IllegalArgumentException if not positive */
        public Builder withPoolSize(int size) {
            this.poolSize = positive("pool size", size);
            return this;
        }

        /** Sets the largest reply body accepted (default 32 MiB). @throws IllegalArgumentException if not positive */
        public Builder withPayloadMaxBytes(int bytes) {
            this.payloadMaxBytes = positive("payload max bytes", bytes);
            return this;
        }

        /**
         * @return the spec
         * @throws IllegalArgumentException if an explicit connect, read or write timeout exceeds the call timeout
         */
        public RemoteEndpointSpec build() {
            boolean okhttp = transport == Transport.OKHTTP;
            Duration call = callTimeout != null ? callTimeout : okhttp ? Duration.ofMinutes(1) : Duration.ofMinutes(2);
            Duration defaultConnect = okhttp ? Duration.ofSeconds(10) : Duration.ofSeconds(20);
            Duration defaultIo = okhttp ? Duration.ofSeconds(10) : call; // async bounds a call only as a whole
            return new RemoteEndpointSpec(this, call,
                    withinCall("connect", connectTimeout, defaultConnect, call),
                    withinCall("read", readTimeout, defaultIo, call),
                    withinCall("write", writeTimeout, defaultIo, call));
        }

        private static Duration withinCall(String what, Duration explicit, Duration fallback, Duration call) {
            if (explicit == null) {
                return fallback.compareTo(call) > 0 ? call : fallback;
            }
            if (explicit.compareTo(call) > 0) {
                throw new IllegalArgumentException(
                        "the " + what + " timeout (" + explicit + ") cannot be larger than the call timeout (" + call + ")");
            }
            return explicit;
        }

        private static Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }

        private static int positive(String what, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(what + " must be positive, was " + value);
            }
            return value;
        }
    }
}
