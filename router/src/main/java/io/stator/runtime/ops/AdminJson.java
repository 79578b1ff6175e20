package io.stator.runtime.ops;

import io.stator.remote.client.RemoteEndpointSpec;

/** How the admin API writes a remote endpoint: the spec's fields in module.yaml's terms. */
final class AdminJson {
    private AdminJson() {
    }

    /** Writes {@code spec} as one JSON object. */
    static void endpoint(JsonWriter w, RemoteEndpointSpec spec) {
        w.beginObject()
                .field("functions", spec.functions())
                .field("urlPathTemplate", spec.urlPathTemplate())
                .field("maxNumBatchRequests", spec.maxNumBatchRequests())
                .field("transport", spec.transport().typeName())
                .field("callTimeoutMillis", spec.callTimeout().toMillis())
                .field("connectTimeoutMillis", spec.connectTimeout().toMillis())
                .field("readTimeoutMillis", spec.readTimeout().toMillis())
                .field("writeTimeoutMillis", spec.writeTimeout().toMillis())
                .endObject();
    }
}
