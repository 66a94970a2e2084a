package io.counterplatform.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP endpoint on loopback that records every webhook it receives and answers as told: by default 204,
 * or whatever the current behaviour returns (which may also block, to play a slow receiver).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One POST as it arrived, and the status it was answered with. */
    public record Received(Map<String, List<String>> headers, String body, int status) {

        public boolean accepted() {
            return status >= 200 && status < 300;
        }

        /** The JSON body's field, as text, or null. */
        public String field(String name) {
            Matcher value = Pattern.compile("\"" + name + "\":\"?([^\",}]*)").matcher(body);
            return value.find() ? value.group(1) : null;
        }

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** A status for {@link #answer}: close the connection without answering. */
    public static final int DROP = -1;

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool(); // a slow answer holds only its own
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<Received, Integer> behaviour = request -> 204;

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** How the receiver answers from now on: the status for each request (its {@code status} is not known yet). */
    public void answer(Function<Received, Integer> behaviour) {
        this.behaviour = behaviour;
    }

    /** Every request answered with a 2xx, in arrival order. */
    public List<Received> accepted() {
        return received.stream().filter(Received::accepted).toList();
    }

    /** Every request, answered or not. */
    public List<Received> all() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow(); // ends any answer still held back
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, List<String>> headers = Map.copyOf(exchange.getRequestHeaders());
        int status = behaviour.apply(new Received(headers, body, 0));
        received.add(new Received(headers, body, status));
        if (status == DROP) {
            exchange.close(); // no answer at all: the connection is closed under the sender
            return;
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }
}
