package io.stator.remote.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of one batch: POSTs the request, retries with exponential back-off on I/O errors and
 * retryable statuses while the endpoint's call budget lasts, decodes the reply, and hands exactly one
 * {@link Completion} to the partition thread (none if the call was cancelled).
 *
 * <p>Threading: {@link #start} and {@link #cancel} run on the partition thread; attempts and callbacks run on
 * OkHttp's threads and the retry scheduler, one at a time (each attempt begins after the previous one ended, and
 * enqueueing or scheduling orders their memory effects). It never touches dispatcher state: it only reads its
 * own immutable fields and offers to the {@link CompletionQueue}.
 *
 * <p>Retryable, as in StateFun's OkHttp transport: any {@link IOException} (connect failure, reset, timeout),
 * and statuses 408, 409, 420, 429, 499 and every 5xx. Other non-2xx statuses fail at once. A 2xx reply is
 * accepted whatever its content type, and an empty body means "no effects".
 */
final class HttpBatchCall implements Callback {
    private static final Logger LOG = LoggerFactory.getLogger(HttpBatchCall.class);
    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
    private static final int ERROR_BODY_PREVIEW = 200;
    private static final Headers HEADERS = Headers.of("Accept", "application/octet-stream", "User-Agent", "stator");

    private final InFlightBatch batch;
    private final OkHttpClient client;
    private final Request request;
    private final long budgetNanos;
    private final long deadlineNanos;
    private final int payloadMaxBytes;
    private final RetryPolicy retry;
    private final CompletionQueue completions;
    private final AtomicLongArray counters;
    private final AtomicLongArray typeCounters;

    private int attempts;
    private long backoffNanos;
    private volatile Call current;
    private volatile boolean cancelled;

    HttpBatchCall(InFlightBatch batch, ResolvedEndpoint endpoint, HttpUrl url, byte[] body,
                  RetryPolicy retry, CompletionQueue completions, AtomicLongArray counters, AtomicLongArray typeCounters) {
        this.batch = batch;
        this.client = endpoint.client();
        this.request = new Request.Builder()
                .url(url)
                .headers(HEADERS)
                .post(RequestBody.create(body, OCTET_STREAM))
                .build();
        this.budgetNanos = endpoint.spec().callTimeout().toNanos();
        this.deadlineNanos = System.nanoTime() + budgetNanos;
        this.payloadMaxBytes = endpoint.spec().payloadMaxBytes();
        this.retry = retry;
        this.completions = completions;
        this.counters = counters;
        this.typeCounters = typeCounters;
        this.backoffNanos = retry.initialBackoffNanos();
    }

    /** Partition thread: sends the first attempt. */
    void start() {
        attempt();
    }

    /** Partition thread: abandons the call; no completion will be offered for it. */
    void cancel() {
        cancelled = true;
        Call call = current;
        if (call != null) {
            call.cancel();
        }
    }

    private void attempt() {
        if (cancelled) {
            return;
        }
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            fail("the call timeout of " + millis(budgetNanos) + " ms was spent before attempt " + (attempts + 1));
            return;
        }
        attempts++;
        Call call = client.newCall(request);
        call.timeout().timeout(remaining, TimeUnit.NANOSECONDS); // one budget for all attempts, as in StateFun
        current = call;
        call.enqueue(this);
    }

    @Override
    public void onFailure(Call call, IOException e) {
        retryOrFail(e.toString());
    }

    @Override
    public void onResponse(Call call, Response response) {
        try (response) {
            int status = response.code();
            if (status >= 200 && status < 300) {
                onReply(readBody(response.body()));
            } else if (RetryPolicy.isRetryableStatus(status)) {
                retryOrFail("HTTP " + status + preview(response.body()));
            } else {
                fail("HTTP " + status + preview(response.body()) + " (not retryable)");
            }
        } catch (IOException e) {
            retryOrFail(e.toString());
        }
    }

    private void onReply(byte[] body) {
        if (body == null) {
            fail("the reply is larger than payload_max_bytes (" + payloadMaxBytes + " bytes)");
            return;
        }
        RemoteReply reply;
        try {
            reply = ReplyDecoder.decode(body);
        } catch (IllegalArgumentException e) {
            fail("invalid reply: " + e.getMessage());
            return;
        }
        if (!cancelled) {
            completions.offer(Completion.replied(batch, reply));
        }
    }

    /** @return the body, or null when it exceeds the payload limit */
    private byte[] readBody(ResponseBody body) throws IOException {
        if (body.contentLength() > payloadMaxBytes) {
            return null;
        }
        BufferedSource source = body.source();
        if (source.request(payloadMaxBytes + 1L)) {
            return null;
        }
        return source.readByteArray();
    }

    private static String preview(ResponseBody body) {
        try {
            BufferedSource source = body.source();
            source.request(ERROR_BODY_PREVIEW);
            long n = Math.min(ERROR_BODY_PREVIEW, source.getBuffer().size());
            String text = source.getBuffer().readString(n, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
            return text.isEmpty() ? "" : ": " + text;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private void retryOrFail(String cause) {
        if (cancelled) {
            return;
        }
        long remaining = deadlineNanos - System.nanoTime();
        if (attempts >= retry.maxAttempts() || remaining <= backoffNanos) {
            fail(cause + " (gave up after " + attempts + " attempt" + (attempts == 1 ? "" : "s") + "; call timeout "
                    + millis(budgetNanos) + " ms)");
            return;
        }
        long delay = backoffNanos;
        backoffNanos = Math.min(backoffNanos * 2, retry.maxBackoffNanos());
        counters.incrementAndGet(RemoteCounter.RETRIES.id());
        typeCounters.incrementAndGet(RemoteCounter.RETRIES.id());
        LOG.debug("retrying {} in {} ms after attempt {}: {}", request.url(), millis(delay), attempts, cause);
        try {
            retry.scheduler().schedule(this::attempt, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            fail(cause + " (no retry: the retry scheduler is shut down)");
        }
    }

    private void fail(String cause) {
        if (!cancelled) {
            completions.offer(Completion.failed(batch, "POST " + request.url() + " failed: " + cause));
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
