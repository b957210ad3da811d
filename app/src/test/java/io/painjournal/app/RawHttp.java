package io.painjournal.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for what a well-behaved client cannot send: bytes that are not UTF-8,
 * headers without their body, a body that trickles in, more connections than allowed.
 */
final class RawHttp implements AutoCloseable {

    /** What came back: the status (0 when the server closed without answering) and the raw text after it. */
    record Answer(int status, String head, String body, boolean closed) {
        boolean isProblem() {
            return head.toLowerCase(Locale.ROOT).contains("content-type: application/problem+json")
                    && body.contains("\"status\":" + status);
        }
    }

    private final Socket socket;

    RawHttp(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(20_000);
    }

    static String request(String method, String path, String token, String contentType, int contentLength) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + (contentLength < 0 ? "" : "Content-Length: " + contentLength + "\r\n") + "\r\n";
    }

    RawHttp send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    RawHttp send(String ascii) throws IOException {
        return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** One POST with exactly these body bytes, on this connection. */
    RawHttp post(String path, String token, byte[] body) throws IOException {
        send(request("POST", path, token, "application/json", body.length));
        return send(body);
    }

    /**
     * Reads one answer: the head, then a body of its Content-Length (or chunked, or to the close). A
     * connection closed before any byte is status 0.
     */
    Answer read() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer within 20 s; got so far: " + head);
            } catch (IOException reset) {
                b = -1;
            }
            if (b < 0) {
                return new Answer(head.size() == 0 ? 0 : -1, head.toString(StandardCharsets.ISO_8859_1), "", true);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(h.substring(9, 12));
        String lower = h.toLowerCase(Locale.ROOT);
        byte[] body;
        int at = lower.indexOf("content-length:");
        if (at >= 0) {
            int length = Integer.parseInt(
                    lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
            body = in.readNBytes(length);
        } else if (lower.contains("transfer-encoding: chunked")) {
            body = chunked(in);
        } else {
            body = in.readAllBytes();
        }
        return new Answer(status, h, new String(body, StandardCharsets.UTF_8), lower.contains("connection: close"));
    }

    /** True when the server closes this connection within 20 s (read returns end of stream, or a reset). */
    boolean closedByServer() throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            int size = Integer.parseInt(line.toString().trim(), 16);
            if (size == 0) {
                in.readNBytes(2);
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            in.readNBytes(2);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
