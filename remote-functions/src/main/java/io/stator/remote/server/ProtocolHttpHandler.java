package io.stator.remote.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of a {@link FunctionRequestHandler}: POST body in, {@code FromFunction} bytes out with status 200
 * and exactly {@code Content-Type: application/octet-stream} (StateFun's OkHttp transport compares the media
 * type exactly, so no charset or other parameter may be added).
 *
 * <p>Threading: the body is read on an I/O thread; the functions run on a worker thread, or, when the server was
 * built with {@code functionsOnIoThreads}, on that I/O thread itself (two thread hand-offs fewer per request);
 * an asynchronous function's reply is sent by whichever thread completes its future. No thread ever blocks
 * waiting for a function's future. Errors: an unparsable request gets 400, any other failure 500; both with a one-line text body.
 */
final class ProtocolHttpHandler implements HttpHandler {
    /** The one content type StateFun's runtime accepts; see the class comment. */
    static final String PROTOCOL_CONTENT_TYPE = "application/octet-stream";

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolHttpHandler.class);

    private final FunctionRequestHandler handler;
    private final boolean functionsOnIoThreads;

    /**
     * @param functionsOnIoThreads run functions on the I/O thread that read the request (for functions that never
     *                             block) instead of handing each request to a worker thread
     */
    ProtocolHttpHandler(FunctionRequestHandler handler, boolean functionsOnIoThreads) {
        this.handler = handler;
        this.functionsOnIoThreads = functionsOnIoThreads;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!Methods.POST.equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, Methods.POST_STRING);
            sendText(exchange, StatusCodes.METHOD_NOT_ALLOWED,
                    "method " + exchange.getRequestMethod() + " is not allowed: send ToFunction bytes with POST");
            return;
        }
        RequestBodyReader.read(exchange, this::onBody, ProtocolHttpHandler::onReadError);
    }

    private void onBody(HttpServerExchange exchange, byte[] body) {
        if (!functionsOnIoThreads) {
            // Leave the I/O thread: functions may be slow or block, and an I/O thread must never wait for them.
            exchange.dispatch(() -> handler.handle(body).whenComplete((reply, error) -> respond(exchange, reply, error)));
            return;
        }
        CompletableFuture<byte[]> result = handler.handle(body);
        if (result.isDone()) {
            result.whenComplete((reply, error) -> respond(exchange, reply, error));
        } else {
            // An asynchronous function: keep the exchange open, and answer from the thread that completes it.
            exchange.dispatch(SameThreadExecutor.INSTANCE,
                    () -> result.whenComplete((reply, error) -> respond(exchange, reply, error)));
        }
    }

    private static void respond(HttpServerExchange exchange, byte[] reply, Throwable error) {
        if (error == null) {
            sendReply(exchange, reply);
        } else {
            sendFailure(exchange, error);
        }
    }

    private static void sendReply(HttpServerExchange exchange, byte[] reply) {
        exchange.setStatusCode(StatusCodes.OK);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, PROTOCOL_CONTENT_TYPE);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, reply.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(reply));
    }

    private static void sendFailure(HttpServerExchange exchange, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof InvalidRequestException) {
            LOG.warn("rejected a request: {}", cause.getMessage());
            sendText(exchange, StatusCodes.BAD_REQUEST, cause.getMessage());
            return;
        }
        if (cause.getCause() != null) {
            LOG.warn("request failed: {}", cause.getMessage(), cause.getCause()); // a function's own error: keep its trace
        } else {
            LOG.warn("request failed: {}", cause.getMessage());
        }
        sendText(exchange, StatusCodes.INTERNAL_SERVER_ERROR, String.valueOf(cause.getMessage()));
    }

    private static void onReadError(HttpServerExchange exchange, IOException error) {
        LOG.debug("could not read a request body: {}", error.toString());
        sendText(exchange, StatusCodes.BAD_REQUEST, "could not read the request body: " + error.getMessage());
    }

    private static void sendText(HttpServerExchange exchange, int status, String text) {
        byte[] body = text.replace('\n', ' ').getBytes(StandardCharsets.UTF_8);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
