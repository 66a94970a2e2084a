package io.counterplatform.query.dashboard;

import jakarta.validation.constraints.Pattern;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The dashboard itself is static ({@code /index.html}); this tells it where to send increments. */
@RestController
class DashboardController {

    private final String commandSideUrl;

    DashboardController(DashboardSettings settings) {
        this.commandSideUrl = settings.commandSideUrl();
    }

    @GetMapping("/dashboard/config")
    Map<String, String> config() {
        return Map.of("commandSideUrl", commandSideUrl);
    }

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
}
