package io.counterplatform.query.live;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.stream.Stream;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import reactor.core.publisher.Flux;

/**
 * Writes one stream's messages to its client from one thread of the stream writers' pool, for the whole stream,
 * and gives its place back when the last write is over (so a writer blocked on a full socket keeps its stream's
 * place). A batch of messages (a slice of a walk over every counter) is written with one flush.
 */
final class ServerSentEvents implements StreamingResponseBody {

    private final Flux<byte[]> messages;
    private final Runnable release;

    ServerSentEvents(Flux<byte[]> messages, Runnable release) {
        this.messages = messages;
        this.release = release;
    }

    @Override
    public void writeTo(OutputStream client) throws IOException {
        try {
            write(client);
        } finally {
            release.run();
        }
    }

    private void write(OutputStream client) throws IOException {
        client.flush(); // the headers: the client knows it is connected before the first message
        // closing the stream cancels the messages: a client that left ends its subscription too
        try (Stream<byte[]> batches = messages.toStream(1)) {
            for (Iterator<byte[]> next = batches.iterator(); next.hasNext(); ) {
                client.write(next.next());
                client.flush();
            }
        }
    }
}
