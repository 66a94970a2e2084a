package io.counterplatform.query.live;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** A stream's writer: one write and flush per batch, and the stream's place given back only once it is done. */
class ServerSentEventsTest {

    private final AtomicBoolean released = new AtomicBoolean();

    @Test
    void eachBatchIsOneWriteAndOneFlushAfterTheHeadersAreFlushed() throws IOException {
        Recording client = new Recording();

        new ServerSentEvents(Flux.just(bytes("a"), bytes("bc")), () -> released.set(true)).writeTo(client);

        assertThat(client.calls).containsExactly("flush", "write a", "flush", "write bc", "flush");
        assertThat(released).isTrue();
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
                new ServerSentEvents(Flux.just(bytes("last")), () -> released.set(true)).writeTo(fullSocket);
            } catch (IOException failed) {
                throw new IllegalStateException(failed);
            }
        });
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(released).isFalse();

        socketDrains.countDown();
        writer.get(10, TimeUnit.SECONDS);
        assertThat(released).isTrue();
    }

    @Test
    void aClientThatLeftEndsItsMessagesAndGivesItsPlaceBack() {
        Sinks.Many<byte[]> messages = Sinks.many().unicast().onBackpressureBuffer();
        AtomicBoolean cancelled = new AtomicBoolean();
        OutputStream departed = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        messages.tryEmitNext(bytes("x"));

        assertThatThrownBy(() -> new ServerSentEvents(
                                messages.asFlux().doOnCancel(() -> cancelled.set(true)), () -> released.set(true))
                        .writeTo(departed))
                .isInstanceOf(IOException.class);

        assertThat(cancelled).isTrue();
        assertThat(released).isTrue();
    }

    @Test
    void theHeadersGoOutBeforeTheFirstMessage() throws Exception {
        Sinks.Empty<Void> end = Sinks.empty();
        Recording client = new Recording();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                new ServerSentEvents(Flux.<byte[]>never().takeUntilOther(end.asMono()), () -> released.set(true))
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

    private static byte[] bytes(String text) {
        return text.getBytes(US_ASCII);
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
