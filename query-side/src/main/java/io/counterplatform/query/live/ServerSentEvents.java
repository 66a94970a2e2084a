package io.counterplatform.query.live;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.counterplatform.api.counter.CounterView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import reactor.core.publisher.Flux;

/**
 * Writes one stream to its client from one thread of the stream writers' pool, for the whole stream, and gives its
 * place back when the last write is over, so a writer blocked on a full socket keeps its stream's place. Each batch
 * of states (a slice of a walk over every counter) is one write and one flush, built only when the writer is ready
 * for it; an empty batch is a heartbeat. Messages are what Spring's {@code SseEmitter} writes: {@code id},
 * {@code event}, then {@code data} on one line.
 */
final class ServerSentEvents implements StreamingResponseBody {

    private static final byte[] HEARTBEAT = ":heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "\nevent: counter\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Flux<List<CounterView>> batches;
    private final ObjectWriter json;
    private final Runnable release;
    private final AtomicBoolean begun = new AtomicBoolean();

    /** {@code json} writes a counter on one line. */
    ServerSentEvents(Flux<List<CounterView>> batches, ObjectWriter json, Runnable release) {
        this.batches = batches;
        this.json = json;
        this.release = release;
    }

    @Override
    public void writeTo(OutputStream client) throws IOException {
        if (!begun.compareAndSet(false, true)) {
            return; // the answer ended before its writer began
        }
        try {
            write(client);
        } finally {
            release.run();
        }
    }

    /** The answer is over: a writer that never began (its task cancelled in the queue) gives the place back here. */
    void answerOver() {
        if (begun.compareAndSet(false, true)) {
            release.run();
        }
    }

    private void write(OutputStream client) throws IOException {
        client.flush(); // the headers: the client knows it is connected before the first message
        // closing the stream cancels the batches: a client that left ends its subscription too
        try (Stream<List<CounterView>> each = batches.toStream(1)) {
            for (Iterator<List<CounterView>> next = each.iterator(); next.hasNext(); ) {
                List<CounterView> states = next.next();
                ByteArrayOutputStream batch = new ByteArrayOutputStream(200 * states.size() + HEARTBEAT.length);
                if (states.isEmpty()) {
                    batch.write(HEARTBEAT);
                }
                for (CounterView state : states) {
                    batch.write(("id: " + state.version()).getBytes(StandardCharsets.US_ASCII));
                    batch.write(EVENT);
                    json.writeValue(batch, state);
                    batch.write(END);
                }
                batch.writeTo(client);
                client.flush();
            }
        }
    }
}
