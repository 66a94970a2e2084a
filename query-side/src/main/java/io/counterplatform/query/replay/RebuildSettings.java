package io.counterplatform.query.replay;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How rebuilds run: events per transaction, how long an instance's claim on a rebuild lasts without renewal, an
 * optional ceiling on the rate (0: as fast as the database allows) to spare a busy database, and how long the
 * switch-over waits for the read model's readers before it gives way and tries again.
 */
@ConfigurationProperties("counter.replay")
record RebuildSettings(int batchSize, Duration lease, int maxEventsPerSecond, Duration switchLockTimeout) {}
