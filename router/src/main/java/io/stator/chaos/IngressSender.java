package io.stator.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Appends chaos commands through the node's HTTP ingress, each under its own {@code Idempotency-Key}, retrying
 * until the ingress accepts it: through refusals while the node is backpressured (503) and through kills (the
 * connection fails; the next life of the node gets the same request). A kill between the append and the reply is
 * harmless: the key makes the retry append nothing. Thread-safe.
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
        int failures = 0;
        while (System.currentTimeMillis() < deadlineMillis) {
            String base = baseUrl;
            if (base != null) {
                Integer status = post(base, code, body, idempotencyKey);
                if (status != null && status == 202) {
                    return failures;
                }
                if (status != null && status != 503) {
                    throw new IllegalStateException("the ingress refused " + idempotencyKey + " for " + code
                            + " with HTTP " + status);
                }
                failures++;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MILLIS)); // the node is down or busy
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted while sending " + idempotencyKey);
            }
        }
        throw new IllegalStateException("the ingress did not accept " + idempotencyKey + " for " + code
                + " before the deadline");
    }

    /** @return the HTTP status, or null if the node could not be reached (killed, restarting) */
    private Integer post(String base, String code, byte[] body, String idempotencyKey) {
        URI uri = URI.create(base + "/v1/ingress/" + ChaosAddresses.of(code).type().asString() + "/" + code
                + "?type=" + ChaosMessage.TYPE_NAME.asString());
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Idempotency-Key", idempotencyKey)
                .header("Content-Type", "application/octet-stream")
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
