package io.counterplatform.query.dashboard;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code counter.dashboard}.
 *
 * @param commandSideUrl where the dashboard's browser sends increments
 */
@ConfigurationProperties("counter.dashboard")
@Validated
record DashboardSettings(
        @DefaultValue("http://localhost:8080") @Pattern(regexp = "https?://.+")
        String commandSideUrl) {}
