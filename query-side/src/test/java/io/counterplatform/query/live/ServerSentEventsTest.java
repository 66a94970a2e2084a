package io.counterplatform.query.live;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.counterplatform.api.counter.CounterView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** A stream's writer: one write and flush per batch, and the stream's place given back only once it is done. */
class ServerSentEventsTest {

    private static final ObjectWriter JSON = new ObjectMapper()
            .findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .writerFor(CounterView.class);

    private final AtomicInteger releases = new AtomicInteger();
    private final Runnable release = releases::incrementAndGet;

    @Test
    void eachBatchIsOneWriteAndOneFlushAfterTheHeadersAreFlushedAndAnEmptyOneIsAHeartbeat() throws IOException {
        Recording client = new Recording();

        new ServerSentEvents(
                        Flux.just(List.of(state("a", 1)), List.of(), List.of(state("b", 2), state("c", 3))),
                        JSON,
                        release)
                .writeTo(client);

        assertThat(client.calls)
                .containsExactly(
                        "flush",
                        "write " + message("a", 1),
                        "flush",
                        "write :heartbeat\n\n",
                        "flush",
                        "write " + message("b", 2) + message("c", 3),
                        "flush");
        assertThat(releases).hasValue(1);
    }

    @Test
    void anAnswerThatEndsBeforeItsWriterBeginsGivesItsPlaceBackOnce() throws IOException {
        ServerSentEvents answer = new ServerSentEvents(Flux.just(List.of(state("a", 1))), JSON, release);
        Recording client = new Recording();

        answer.answerOver();
        answer.writeTo(client);
        answer.answerOver();

        assertThat(client.calls).isEmpty();
        assertThat(releases).hasValue(1);
    }

    @Test
    void anAnswerOverAfterItsWriterEndedIsNotReleasedTwice() throws IOException {
        ServerSentEvents answer = new ServerSentEvents(Flux.just(List.of(state("a", 1))), JSON, release);

        answer.writeTo(new Recording());
        answer.answerOver();

        assertThat(releases).hasValue(1);
    }

    @Test
    void aStreamWhoseMessagesHaveEndedKeepsItsPlaceWhileItsWriterIsBlocked() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch socketDrains = new CountDownLatch(1);
        OutputStream fullSocket = new OutputStream() {
            @Override
            public void write(int b) {}

            @Override
            public void write(byte[] message, int offset, int length) throws IOException {
                writing.countDown();
                try {
                    socketDrains.await();
                } catch (InterruptedException stopped) {
                    throw new IOException(stopped);
                }
            }
        };
        // the messages end at once: only the writer still holds the stream
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                new ServerSentEvents(Flux.just(List.of(state("last", 1))), JSON, release).writeTo(fullSocket);
            } catch (IOException failed) {
                throw new IllegalStateException(failed);
            }
        });
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(releases).hasValue(0);

        socketDrains.countDown();
        writer.get(10, TimeUnit.SECONDS);
        assertThat(releases).hasValue(1);
    }

    @Test
    void aClientThatLeftEndsItsMessagesAndGivesItsPlaceBack() {
        Sinks.Many<List<CounterView>> messages = Sinks.many().unicast().onBackpressureBuffer();
        AtomicBoolean cancelled = new AtomicBoolean();
        OutputStream departed = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        messages.tryEmitNext(List.of(state("x", 1)));

        assertThatThrownBy(() -> new ServerSentEvents(
                                messages.asFlux().doOnCancel(() -> cancelled.set(true)), JSON, release)
                        .writeTo(departed))
                .isInstanceOf(IOException.class);

        assertThat(cancelled).isTrue();
        assertThat(releases).hasValue(1);
    }

    @Test
    void theHeadersGoOutBeforeTheFirstMessage() throws Exception {
        Sinks.Empty<Void> end = Sinks.empty();
        Recording client = new Recording();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                new ServerSentEvents(Flux.<List<CounterView>>never().takeUntilOther(end.asMono()), JSON, release)
                        .writeTo(client);
            } catch (IOException failed) {
                throw new IllegalStateException(failed);
            }
        });

        await().atMost(10, TimeUnit.SECONDS).until(() -> client.calls.contains("flush"));

        end.tryEmitEmpty();
        writer.get(10, TimeUnit.SECONDS);
        assertThat(client.calls).containsExactly("flush");
    }

    private static CounterView state(String id, long version) {
        return new CounterView(id, version, version, Instant.EPOCH);
    }

    private static String message(String id, long version) {
        return "id: " + version + "\nevent: counter\ndata: {\"counterId\":\"" + id + "\",\"value\":" + version
                + ",\"version\":" + version + ",\"updatedAt\":\"1970-01-01T00:00:00Z\"}\n\n";
    }

    /** Records each write and flush, in order. */
    private static final class Recording extends ByteArrayOutputStream {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void write(byte[] bytes, int offset, int length) {
            calls.add("write " + new String(bytes, offset, length, US_ASCII));
        }

        @Override
        public void write(byte[] bytes) {
            write(bytes, 0, bytes.length);
        }

        @Override
        public void flush() {
            calls.add("flush");
        }
    }
}
