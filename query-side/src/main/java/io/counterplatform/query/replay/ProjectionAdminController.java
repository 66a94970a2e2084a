package io.counterplatform.query.replay;

import io.counterplatform.support.problem.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The streaming processors, where they stand, and rebuilding a read model without downtime. */
@RestController
@RequestMapping("/api/admin/projections")
class ProjectionAdminController {

    private final EventProcessingConfiguration processing;
    private final ProjectionReplays rebuilds;
    private final ProcessorLag lag;

    ProjectionAdminController(EventProcessingConfiguration processing, ProjectionReplays rebuilds, ProcessorLag lag) {
        this.processing = processing;
        this.rebuilds = rebuilds;
        this.lag = lag;
    }

    @GetMapping
    List<ProjectionView> projections() {
        long head = lag.head();
        return processing.eventProcessors().values().stream()
                .filter(StreamingEventProcessor.class::isInstance)
                .map(StreamingEventProcessor.class::cast)
                .sorted(Comparator.comparing(StreamingEventProcessor::getName))
                .map(processor -> view(processor, head))
                .toList();
    }

    @PostMapping("/{name}/replay")
    ResponseEntity<Void> replay(@PathVariable String name) {
        StreamingEventProcessor processor = processing
                .eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow(() -> new Refusal(HttpStatus.NOT_FOUND, "not-found", "no projection " + name));
        if (!replayable(processor)) {
            throw new Refusal(HttpStatus.CONFLICT, "conflict", name + " is not replayable");
        }
        if (!rebuilds.start(name)) {
            throw new Refusal(HttpStatus.CONFLICT, "conflict", name + " is already being rebuilt");
        }
        return ResponseEntity.accepted().build();
    }

    private ProjectionView view(StreamingEventProcessor processor, long head) {
        String name = processor.getName();
        ProcessorLag.Lag behind = lag.of(name, head);
        boolean positioned = behind.position() != null;
        ReplayView replay = rebuilds.running(name).map(this::replay).orElse(null);
        return new ProjectionView(
                name,
                status(processor, replay != null),
                behind.position(),
                head,
                positioned ? behind.events() : null,
                positioned ? behind.millis() : null,
                replayable(processor),
                replay);
    }

    private ReplayView replay(ReplayRecord record) {
        double progress = record.progress(record.position());
        long elapsedMillis =
                Math.max(1, Duration.between(record.startedAt(), Instant.now()).toMillis());
        Long eta = progress <= 0 ? null : Math.round(elapsedMillis * (1 - progress) / progress / 1000);
        return new ReplayView(progress, record.startedAt(), record.processed(), eta);
    }

    private boolean replayable(StreamingEventProcessor processor) {
        return processor.supportsReset() && rebuilds.isReplayable(processor.getName());
    }

    private static ProjectionView.Status status(StreamingEventProcessor processor, boolean replaying) {
        if (processor.isError()) {
            return ProjectionView.Status.ERROR;
        }
        if (!processor.isRunning()) {
            return ProjectionView.Status.STOPPED;
        }
        return replaying ? ProjectionView.Status.REPLAYING : ProjectionView.Status.RUNNING;
    }
}
