package io.counterplatform.query.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.counterplatform.api.counter.CounterRules;
import io.counterplatform.api.counter.CounterView;
import io.counterplatform.api.counter.InvalidCounterInput;
import io.counterplatform.support.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Server-sent events: {@code id} is the counter's version, {@code event} is {@code counter}, {@code data} the
 * counter. A heartbeat comment keeps proxies from closing an idle stream and shows when a client has left.
 */
@RestController
class CounterStreamController {

    private static final String LAST_EVENT_ID = "Last-Event-ID";
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");

    private final ObjectWriter json;
    private final CounterStreams streams;
    private final StreamAdmission admission;
    private final Duration heartbeat;
    private final Sinks.Empty<Void> stopping = Sinks.empty();

    CounterStreamController(
            CounterStreams streams, StreamAdmission admission, LiveSettings settings, ObjectMapper json) {
        this.json = json.writerFor(CounterView.class).without(SerializationFeature.INDENT_OUTPUT);
        this.streams = streams;
        this.admission = admission;
        this.heartbeat = settings.heartbeat();
    }

    @GetMapping(path = "/api/counters/{counterId}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    ResponseEntity<StreamingResponseBody> counter(
            @PathVariable String counterId,
            @RequestHeader(name = LAST_EVENT_ID, required = false) String lastEventId,
            @AuthenticationPrincipal Caller caller,
            HttpServletRequest request)
            throws HttpRequestMethodNotSupportedException {
        CounterRules.requireValidId(counterId);
        return serverSent(streams.counter(counterId, version(lastEventId)).map(List::of), caller, request);
    }

    @GetMapping(path = "/api/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    ResponseEntity<StreamingResponseBody> all(@AuthenticationPrincipal Caller caller, HttpServletRequest request)
            throws HttpRequestMethodNotSupportedException {
        return serverSent(streams.all(), caller, request);
    }

    /**
     * Ends every open stream when the service stops, before the web server's graceful shutdown would wait for
     * them (the context announces its closing before it stops any lifecycle bean): clients reconnect (with
     * {@code Last-Event-ID}) to another instance or to this one once it is back.
     */
    @EventListener(ContextClosedEvent.class)
    void stop() {
        stopping.tryEmitEmpty();
    }

    /**
     * Admitted before the answer starts, so a refusal is still a problem; released when its writer is done. A
     * {@code HEAD} is refused: its body goes nowhere, so a departed client would never be noticed.
     */
    private ResponseEntity<StreamingResponseBody> serverSent(
            Flux<List<CounterView>> states, Caller caller, HttpServletRequest request)
            throws HttpRequestMethodNotSupportedException {
        if (HttpMethod.HEAD.matches(request.getMethod())) {
            throw new HttpRequestMethodNotSupportedException(request.getMethod(), List.of(HttpMethod.GET.name()));
        }
        Runnable release = admission.admit(StreamAdmission.clientOf(caller, request.getRemoteAddr()));
        // a heartbeat due while the client is behind is dropped (an interval without demand would fail the stream)
        Flux<List<CounterView>> heartbeats =
                Flux.interval(heartbeat).onBackpressureDrop().map(tick -> List.of());
        ServerSentEvents answer = new ServerSentEvents(
                states
                        // heartbeats until the states end (a stream of all counters ends for a client too slow for
                        // it); a batch is asked for when the writer is ready for it
                        .publish(batches -> Flux.merge(1, batches, heartbeats.takeUntilOther(batches.then())), 1)
                        .takeUntilOther(stopping.asMono()),
                json,
                release);
        WebAsyncUtils.getAsyncManager(request)
                .registerCallableInterceptor(ServerSentEvents.class, new Completion(answer));
        return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(answer);
    }

    /** Tells an answer that it is over, however it ended. */
    private record Completion(ServerSentEvents answer) implements CallableProcessingInterceptor {
        @Override
        public <T> void afterCompletion(NativeWebRequest request, Callable<T> task) {
            answer.answerOver();
        }
    }

    private static Long version(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return null;
        }
        String version = lastEventId.strip();
        if (!DIGITS.matcher(version).matches()) { // no sign: Long.parseLong would take "+5"
            throw new InvalidCounterInput(LAST_EVENT_ID, "must be a version this stream sent");
        }
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException beyondAnyVersion) {
            return Long.MAX_VALUE; // 19 digits, as the API document allows: no version comes after it
        }
    }
}
