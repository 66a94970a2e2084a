package io.counterplatform.query.live;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code counter.live}: the live streams.
 *
 * @param heartbeat how often an open stream gets a comment, which keeps proxies from closing it and detects
 *     departed clients
 * @param bufferSize states a slow client may fall behind before its stream resumes from the event store (one
 *     counter) or ends (all counters)
 * @param walkRate counter states per second that the streams of all counters walking the read model send
 *     together on this instance, so that a crowd of new streams leaves the box to the writes; the changes they
 *     follow are not paced
 * @param maxStreams open streams and {@code minVersion} waits on this instance (more: 503)
 * @param maxStreamsPerClient open streams per client, by key or else by address (more: 429)
 * @param maxWaitsPerClient {@code minVersion} waits per client, by key or else by address, apart from its streams
 *     (more: 503)
 * @param retryAfter what a refused stream is told to wait before it tries again
 */
@ConfigurationProperties("counter.live")
@Validated
record LiveSettings(
        @DefaultValue("15s") @DurationMin(millis = 1) Duration heartbeat,
        @DefaultValue("4096") @Min(1) int bufferSize,
        @DefaultValue("20000") @Min(1) int walkRate,
        @DefaultValue("1000") @Min(1) int maxStreams,
        @DefaultValue("50") @Min(1) int maxStreamsPerClient,
        @DefaultValue("500") @Min(1) int maxWaitsPerClient,
        @DefaultValue("5s") @DurationMin(seconds = 1) Duration retryAfter) {}
