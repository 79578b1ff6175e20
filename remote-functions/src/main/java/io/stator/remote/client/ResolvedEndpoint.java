package io.stator.remote.client;

import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * An endpoint spec with the OkHttp client configured for it: the runtime's client (sharing its connection pool
 * and dispatcher) with this endpoint's connect, read and write timeouts. The call timeout is set per attempt,
 * to what remains of the call's budget.
 */
record ResolvedEndpoint(RemoteEndpointSpec spec, OkHttpClient client) {
    static ResolvedEndpoint of(RemoteEndpointSpec spec, OkHttpClient shared) {
        OkHttpClient client = shared.newBuilder()
                .connectTimeout(spec.connectTimeout())
                .readTimeout(spec.readTimeout())
                .writeTimeout(spec.writeTimeout())
                .callTimeout(Duration.ZERO)
                .build();
        return new ResolvedEndpoint(spec, client);
    }
}
