package io.stator.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.support.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FullBody#receiveInPlace}: the handler runs where the body's last bytes were read, and one that fails
 * answers the client with a 500 naming the failure (Undertow's own answer would be a bare 500), also when those
 * bytes came after the request's head, so that the handler runs from the connection's read listener.
 */
class FullBodyTest {
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBodyThatComesLateIsHandledOnTheIoThread() throws Exception {
        server = TestServer.start("/echo", exchange -> FullBody.receiveInPlace(exchange, 1024,
                (ex, size) -> HttpReplies.text(ex, 413, size),
                (ex, body) -> HttpReplies.text(ex, 200, Thread.currentThread().getName() + ": "
                        + new String(body, StandardCharsets.UTF_8))), null, null);
        String answer = postInTwoParts("/echo", "late body!");
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        assertTrue(answer.contains(" I/O-") && answer.strip().endsWith(": late body!"), answer);
    }

    @Test
    void aHandlerThatFailsInPlaceAnswers500NamingTheFailure() throws Exception {
        server = TestServer.start("/fail", exchange -> FullBody.receiveInPlace(exchange, 1024,
                (ex, size) -> HttpReplies.text(ex, 413, size),
                (ex, body) -> {
                    throw new IOException("the disk says no");
                }), null, null);
        String answer = postInTwoParts("/fail", "late body!");
        assertTrue(answer.startsWith("HTTP/1.1 500 "), answer);
        assertTrue(answer.contains("the request failed: the disk says no"), answer);
    }

    /** POSTs the head, waits, then the body; @return the whole answer (the server sends Content-Length) */
    private String postInTwoParts(String path, String body) throws Exception {
        URI base = URI.create(server.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000); // a handler's failure that answered nothing would end the test here
            OutputStream out = socket.getOutputStream();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(200); // the request is dispatched and waits for its body
            out.write(bytes);
            out.flush();
            return readAnswer(socket.getInputStream());
        }
    }

    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        String text = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        assertEquals(length, text.getBytes(StandardCharsets.UTF_8).length, "the whole body");
        return head.toString().trim() + "\n" + text;
    }
}
