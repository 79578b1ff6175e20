package io.stator.web.internal;

import io.undertow.io.Receiver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Arrays;

/**
 * Reads a request's whole body without holding a thread while the client sends it, then runs the rest of the
 * request on a worker thread. A blocking read held a worker for as long as a client took: a few dozen clients that
 * stalled mid-body (a bug, a lost network) held every worker, and every other request of the server waited.
 */
public final class FullBody {
    private FullBody() {
    }

    /** What runs on a worker thread once the whole body is in. */
    @FunctionalInterface
    public interface Then {
        /** Handles the request with its body; an exception ends the exchange as a handler's would. */
        void handle(HttpServerExchange exchange, byte[] body) throws Exception;
    }

    /** Answers a body over the limit. */
    @FunctionalInterface
    public interface TooLarge {
        /** @param size how large the body is, as far as known: "2000000 bytes" or "more than 1048576 bytes" */
        void refuse(HttpServerExchange exchange, String size);
    }

    /**
     * Receives the body, refusing more than {@code maxBytes}: a declared length over the limit before reading, a
     * chunked body as soon as it passes the limit. A body that cannot be read is answered with 400.
     *
     * @param exchange  the request, on its IO thread or a worker
     * @param maxBytes  the largest body taken, at least 0
     * @param tooLarge  answers a body over the limit
     * @param then      handles the request once the body is in, on a worker thread
     */
    public static void receive(HttpServerExchange exchange, int maxBytes, TooLarge tooLarge, Then then) {
        long declared = exchange.getRequestContentLength();
        if (declared > maxBytes) {
            tooLarge.refuse(exchange, declared + " bytes");
            return;
        }
        exchange.getRequestReceiver().receivePartialBytes(new Collector(declared, maxBytes, tooLarge, then),
                (ex, error) -> HttpReplies.text(ex, 400, "could not read the request body: " + error.getMessage()));
    }

    /**
     * Gathers the chunks Undertow reads, on the IO thread, into one array with bulk copies (Undertow's own
     * {@code receiveFullBytes} copies one byte at a time into a synchronized stream: milliseconds per MiB).
     */
    private static final class Collector implements Receiver.PartialBytesCallback {
        private final int maxBytes;
        private final TooLarge tooLarge;
        private final Then then;
        private byte[] bytes;
        private int size;
        private boolean refused;

        Collector(long declared, int maxBytes, TooLarge tooLarge, Then then) {
            this.maxBytes = maxBytes;
            this.tooLarge = tooLarge;
            this.then = then;
            this.bytes = new byte[declared >= 0 ? (int) declared : Math.min(maxBytes, 4096)];
        }

        @Override
        public void handle(HttpServerExchange exchange, byte[] chunk, boolean last) {
            if (refused) {
                return; // the answer is sent; what the client still sends is drained or the connection closed
            }
            if (chunk.length > maxBytes - size) {
                refused = true;
                tooLarge.refuse(exchange, "more than " + maxBytes + " bytes");
                return;
            }
            if (chunk.length > bytes.length - size) {
                bytes = Arrays.copyOf(bytes, Math.min(maxBytes, Math.max(size + chunk.length, bytes.length * 2)));
            }
            System.arraycopy(chunk, 0, bytes, size, chunk.length);
            size += chunk.length;
            if (last) {
                byte[] body = size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
                exchange.dispatch((HttpHandler) worker -> then.handle(worker, body));
            }
        }
    }
}
