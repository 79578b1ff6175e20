package io.stator.remote.client;

import io.stator.sdk.TypeName;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * An endpoint spec with the OkHttp client configured for it: the runtime's client (sharing its connection pool
 * and dispatcher) with this endpoint's connect, read and write timeouts. The call timeout is set per attempt,
 * to what remains of the call's budget. It also keeps each function type's URL parsed, so a batch does not
 * parse its URL again. Partition thread only (each dispatcher resolves its own).
 */
final class ResolvedEndpoint {
    private final RemoteEndpointSpec spec;
    private final OkHttpClient client;
    private final Map<TypeName, HttpUrl> urlByType = new HashMap<>();

    private ResolvedEndpoint(RemoteEndpointSpec spec, OkHttpClient client) {
        this.spec = spec;
        this.client = client;
    }

    static ResolvedEndpoint of(RemoteEndpointSpec spec, OkHttpClient shared) {
        OkHttpClient client = shared.newBuilder()
                .connectTimeout(spec.connectTimeout())
                .readTimeout(spec.readTimeout())
                .writeTimeout(spec.writeTimeout())
                .callTimeout(Duration.ZERO)
                .build();
        return new ResolvedEndpoint(spec, client);
    }

    RemoteEndpointSpec spec() {
        return spec;
    }

    OkHttpClient client() {
        return client;
    }

    /**
     * @return the URL that serves {@code functionType}
     * @throws IllegalArgumentException if the spec's template does not make a valid http(s) URL
     */
    HttpUrl urlFor(TypeName functionType) {
        HttpUrl url = urlByType.get(functionType);
        if (url == null) {
            url = HttpUrl.get(spec.urlFor(functionType));
            urlByType.put(functionType, url);
        }
        return url;
    }
}
