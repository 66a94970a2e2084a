package io.counterplatform.query.dashboard;

import java.util.Map;
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
}
