package io.counterplatform.query.readmodel;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code counter.replay}: how a new version reads the history.
 *
 * @param maxEventsPerSecond an optional ceiling on the rate at which each instance reads history into a new version,
 *     to spare a busy database (0: none); events stored after the version began are never held back
 */
@ConfigurationProperties("counter.replay")
@Validated
record ReplaySettings(@DefaultValue("0") @Min(0) int maxEventsPerSecond) {}
