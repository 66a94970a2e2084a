package io.counterplatform.bench.crud;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The baseline: the plainest counter Spring MVC and a JDBC template make, on the same PostgreSQL. One upsert per
 * increment, nothing more clever. The platform is measured against it in the same run.
 */
@SpringBootApplication
@RestController
public class CrudCounterApplication {

    private final JdbcTemplate jdbc;

    CrudCounterApplication(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public static void main(String[] args) {
        SpringApplication.run(CrudCounterApplication.class, args);
    }

    @PostMapping("/api/counters/{counterId}/increments")
    Map<String, Object> increment(
            @PathVariable String counterId, @RequestBody(required = false) Map<String, Long> body) {
        long amount = body == null ? 1 : body.getOrDefault("amount", 1L);
        return jdbc.queryForMap("""
                INSERT INTO crud_counter (id, value, version) VALUES (?, ?, 1)
                ON CONFLICT (id) DO UPDATE
                   SET value = crud_counter.value + excluded.value, version = crud_counter.version + 1
                RETURNING id AS "counterId", value, version
                """, counterId, amount);
    }
}
