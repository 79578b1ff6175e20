package io.stator.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Appends chaos commands through the node's HTTP ingress, each (or each batch) under its own
 * {@code Idempotency-Key}, retrying until the ingress accepts it: through refusals while the node is backpressured
 * (503) and through kills (the connection fails; the next life of the node gets the same request). A kill between
 * the append and the reply is harmless: the key makes the retry append nothing. Thread-safe.
 */
final class IngressSender {
    private static final long RETRY_PAUSE_MILLIS = 20;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** The current node's base URL, or null while no node is up. */
    private volatile String baseUrl;

    /** Points the sender at a node that is up, or at none ({@code null}) while it is down. */
    void target(String nodeBaseUrl) {
        this.baseUrl = nodeBaseUrl;
    }

    /**
     * Appends one message for {@code code}, retrying until accepted or {@code deadlineMillis}.
     *
     * @return the number of attempts that failed before it was accepted
     * @throws IllegalStateException if the ingress refuses it for good (4xx other than backpressure) or the
     *                               deadline passes
     */
    int send(String code, ChaosMessage message, String idempotencyKey, long deadlineMillis) {
        byte[] body = ChaosMessage.TYPE.serialize(message);
        return sendUntilAccepted(idempotencyKey, deadlineMillis, base -> URI.create(base + "/v1/ingress/"
                + ChaosAddresses.of(code).type().asString() + "/" + code + "?type=" + ChaosMessage.TYPE_NAME.asString()),
                "application/octet-stream", body);
    }

    /**
     * Appends several commands as one batch ({@code POST /v1/ingress}, a JSON line each), all or none, under one
     * key, retrying as {@link #send} does.
     *
     * @return the number of attempts that failed before it was accepted
     */
    int sendBatch(List<ChaosPlan.Command> commands, String idempotencyKey, long deadlineMillis) {
        StringBuilder lines = new StringBuilder();
        for (ChaosPlan.Command c : commands) {
            lines.append("{\"function\":\"").append(ChaosAddresses.of(c.target()).type().asString())
                    .append("\",\"id\":\"").append(c.target())
                    .append("\",\"type\":\"").append(ChaosMessage.TYPE_NAME.asString())
                    .append("\",\"valueBase64\":\"")
                    .append(Base64.getEncoder().encodeToString(ChaosMessage.TYPE.serialize(c.message())))
                    .append("\"}\n");
        }
        return sendUntilAccepted(idempotencyKey, deadlineMillis, base -> URI.create(base + "/v1/ingress"),
                "application/x-ndjson", lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    private int sendUntilAccepted(String idempotencyKey, long deadlineMillis, Function<String, URI> uri,
            String contentType, byte[] body) {
        int failures = 0;
        while (System.currentTimeMillis() < deadlineMillis) {
            String base = baseUrl;
            if (base != null) {
                Integer status = post(uri.apply(base), contentType, body, idempotencyKey);
                if (status != null && status == 202) {
                    return failures;
                }
                if (status != null && status != 503) {
                    throw new IllegalStateException("the ingress refused " + idempotencyKey + " with HTTP " + status);
                }
                failures++;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MILLIS)); // the node is down or busy
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted while sending " + idempotencyKey);
            }
        }
        throw new IllegalStateException("the ingress did not accept " + idempotencyKey + " before the deadline");
    }

    /** @return the HTTP status, or null if the node could not be reached (killed, restarting) */
    private Integer post(URI uri, String contentType, byte[] body, String idempotencyKey) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Idempotency-Key", idempotencyKey)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
