package io.stator.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Reads a server-sent-event stream on a background thread and queues its events. */
public final class SseClient implements AutoCloseable {
    /** One event. */
    public record Event(String id, String data) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final HttpResponse<InputStream> response;
    private final Thread reader;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "test-sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects and starts reading; returns once the response headers arrived. */
    public static SseClient connect(HttpClient client, String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return new SseClient(client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    /** @return the response status */
    public int status() {
        return response.statusCode();
    }

    /** @return the next event, or null if none came within the timeout */
    public Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return true if the server ended the stream within the timeout */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(id, data.toString()));
                    }
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).stripLeading());
                }
            }
        } catch (IOException e) {
            // closed by the test or the server
        } finally {
            ended.countDown();
        }
    }
}
