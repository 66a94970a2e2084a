package io.counterplatform.query.readmodel;

import io.counterplatform.query.readmodel.ReadModelTable.State;
import io.counterplatform.support.problem.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The projections, where they stand, and rebuilding a read model without downtime. The read models are listed by
 * their own names, at their live version; the other streaming processors (the webhooks') by theirs.
 */
@RestController
@RequestMapping("/api/admin/projections")
class ProjectionAdminController {

    private final EventProcessingConfiguration processing;
    private final ReadModels readModels;
    private final ReadModelTable table;
    private final ProcessorLag lag;

    ProjectionAdminController(
            EventProcessingConfiguration processing, ReadModels readModels, ReadModelTable table, ProcessorLag lag) {
        this.processing = processing;
        this.readModels = readModels;
        this.table = table;
        this.lag = lag;
    }

    @GetMapping
    List<ProjectionView> projections() {
        long head = lag.head();
        Stream<ProjectionView> models = table.all().stream()
                .filter(state -> readModels.names().contains(state.name()))
                .map(state -> readModel(state, head));
        Stream<ProjectionView> others = processing.eventProcessors().values().stream()
                .filter(StreamingEventProcessor.class::isInstance)
                .map(StreamingEventProcessor.class::cast)
                .map(processor -> view(processor.getName(), processor.getName(), Optional.of(processor), head, null));
        return Stream.concat(models, others)
                .sorted(Comparator.comparing(ProjectionView::name))
                .toList();
    }

    @PostMapping("/{name}/replay")
    ResponseEntity<Void> replay(@PathVariable String name) {
        if (!readModels.names().contains(name)) {
            if (processing.eventProcessor(name).isPresent()) {
                throw new Refusal(HttpStatus.CONFLICT, "conflict", name + " is not replayable");
            }
            throw new Refusal(HttpStatus.NOT_FOUND, "not-found", "no projection " + name);
        }
        if (!readModels.rebuild(name)) {
            throw new Refusal(HttpStatus.CONFLICT, "conflict", name + " is already being rebuilt");
        }
        return ResponseEntity.accepted().build();
    }

    private ProjectionView readModel(State state, long head) {
        ReadModelVersion live = state.version(state.live());
        ProjectionView.Replay replay = state.building() == null ? null : replay(state);
        return view(state.name(), live.processor(), readModels.processor(live), head, replay);
    }

    private ProjectionView view(
            String name,
            String processorName,
            Optional<StreamingEventProcessor> here,
            long head,
            ProjectionView.Replay replay) {
        ProcessorLag.Lag behind = lag.of(processorName, head);
        boolean positioned = behind.position() != null;
        return new ProjectionView(
                name,
                status(here, replay != null),
                behind.position(),
                head,
                positioned ? behind.events() : null,
                positioned ? behind.millis() : null,
                readModels.names().contains(name),
                replay);
    }

    private ProjectionView.Replay replay(State state) {
        double progress = readModels.progress(state);
        long elapsedMillis = Math.max(
                1, Duration.between(state.buildingSince(), Instant.now()).toMillis());
        Long eta = progress <= 0 ? null : Math.round(elapsedMillis * (1 - progress) / progress / 1000);
        return new ProjectionView.Replay(progress, state.buildingSince(), eta);
    }

    /** As this instance sees it: another instance may run a processor this one has stopped. */
    private static ProjectionView.Status status(Optional<StreamingEventProcessor> here, boolean replaying) {
        if (here.isPresent() && here.get().isError()) {
            return ProjectionView.Status.ERROR;
        }
        if (here.isEmpty() || !here.get().isRunning()) {
            return ProjectionView.Status.STOPPED;
        }
        return replaying ? ProjectionView.Status.REPLAYING : ProjectionView.Status.RUNNING;
    }
}
