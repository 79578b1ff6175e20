package io.stator.remote.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * A ready-made OkHttp client for {@link RemoteDispatcher}s. OkHttp's defaults allow only 5 concurrent calls per
 * host and 64 in total, which would serialize the one-request-per-address traffic of a partition talking to one
 * function service; this client raises both. Share one client across all partitions: it owns threads and a
 * connection pool. Its sockets have {@code TCP_NODELAY} on ({@link NoDelaySocketFactory}).
 */
public final class RemoteHttpClients {
    private RemoteHttpClients() {
    }

    /**
     * @param maxConcurrentCalls calls in flight at once, in total and per host
     * @return a client with that limit, a keep-alive pool of {@code maxConcurrentCalls} idle connections kept
     *     15 s (StateFun's pool TTL), no timeouts of its own (each endpoint sets them), and Nagle's algorithm off
     */
    public static OkHttpClient create(int maxConcurrentCalls) {
        if (maxConcurrentCalls <= 0) {
            throw new IllegalArgumentException("maxConcurrentCalls must be positive, was " + maxConcurrentCalls);
        }
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(maxConcurrentCalls);
        dispatcher.setMaxRequestsPerHost(maxConcurrentCalls);
        return new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(maxConcurrentCalls, 15, TimeUnit.SECONDS))
                .callTimeout(Duration.ZERO)
                .socketFactory(new NoDelaySocketFactory())
                .build();
    }
}
