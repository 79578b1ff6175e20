package io.stator.web.internal;

import io.undertow.io.Receiver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Arrays;

/**
 * Reads a request's whole body without holding a thread while the client sends it, then runs the rest of the
 * request on a worker thread, or, for work that never waits, where the body was read. A blocking read held a
 * worker for as long as a client took: a few dozen clients that stalled mid-body (a bug, a lost network) held
 * every worker, and every other request of the server waited.
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
        receive(exchange, maxBytes, tooLarge, then, true);
    }

    /**
     * As {@link #receive}, but {@code then} runs on the thread that read the body's last bytes, usually the
     * connection's IO thread: for work of a few microseconds that never waits (a lock held by another request,
     * a file, a network). It saves the hand-off to a worker and back, which costs more CPU than such work (the
     * HTTP ingress: 115-150 against 55-75 µs of the node's CPU per single-record request). Work that may wait would
     * stall every connection of the IO thread meanwhile.
     */
    public static void receiveInPlace(HttpServerExchange exchange, int maxBytes, TooLarge tooLarge, Then then) {
        receive(exchange, maxBytes, tooLarge, then, false);
    }

    private static void receive(HttpServerExchange exchange, int maxBytes, TooLarge tooLarge, Then then,
            boolean onWorker) {
        long declared = exchange.getRequestContentLength();
        if (declared > maxBytes) {
            tooLarge.refuse(exchange, declared + " bytes");
            return;
        }
        exchange.getRequestReceiver().receivePartialBytes(new Collector(declared, maxBytes, tooLarge, then, onWorker),
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
        private final boolean onWorker;
        private byte[] bytes;
        private int size;
        private boolean refused;

        Collector(long declared, int maxBytes, TooLarge tooLarge, Then then, boolean onWorker) {
            this.maxBytes = maxBytes;
            this.tooLarge = tooLarge;
            this.then = then;
            this.onWorker = onWorker;
            this.bytes = new byte[declared >= 0 ? (int) declared : Math.min(maxBytes, 4096)];
        }

        @Override
        public void handle(HttpServerExchange exchange, byte[] chunk, boolean last) {
            try {
                take(exchange, chunk, last);
            } catch (Exception e) { // in place, a handler's failure ends the exchange here, as Undertow's dispatch does
                if (!exchange.isResponseStarted()) {
                    HttpReplies.text(exchange, 500, "the request failed: " + e.getMessage());
                } else {
                    exchange.endExchange();
                }
            }
        }

        private void take(HttpServerExchange exchange, byte[] chunk, boolean last) throws Exception {
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
                if (onWorker) {
                    exchange.dispatch((HttpHandler) worker -> then.handle(worker, body));
                } else {
                    then.handle(exchange, body);
                }
            }
        }
    }
}
