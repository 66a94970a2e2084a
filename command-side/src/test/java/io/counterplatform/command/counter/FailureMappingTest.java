package io.counterplatform.command.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.command.config.CommandSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.SocketException;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Every failure the write path can raise, driven through the web layer: none ends in a success, each is a
 * problem+json answer without internals, and a failure to reach the store says "retry".
 */
@WebMvcTest
@AutoConfigureMockMvc(addFilters = false) // the web layer's failure mapping alone; security has tests of its own
@Import({IncrementMetrics.class, SimpleMeterRegistry.class})
@EnableConfigurationProperties(CommandSettings.class)
class FailureMappingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Autowired
    private MockMvc mvc;

    @MockitoBean
    private CommandGateway commands;

    static Stream<Arguments> failures() {
        SQLException brokenPipe = new SQLException("An I/O error occurred while sending to the backend", "08006");
        brokenPipe.initCause(new SocketException("Broken pipe"));
        return Stream.of(
                Arguments.of(new EventStoreException("append failed", brokenPipe), 503),
                Arguments.of(new JdbcException("could not get a connection", brokenPipe), 503),
                Arguments.of(new TransactionSystemException("commit failed", brokenPipe), 503),
                Arguments.of(new CannotCreateTransactionException("no connection", brokenPipe), 503),
                Arguments.of(new ConcurrencyException("retries used up", brokenPipe), 503),
                Arguments.of(new CommandExecutionException("remote failure", null), 503),
                Arguments.of(new CommandExecutionException("timed out", new TimeoutException()), 503),
                Arguments.of(new NoHandlerForCommandException("no handler"), 503),
                Arguments.of(new IllegalStateException("a bug", new SocketException("Broken pipe")), 500),
                Arguments.of(new NullPointerException(), 500));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void noFailureOfTheWritePathEndsInASuccess(RuntimeException failure, int status) throws Exception {
        when(commands.sendAndWait(any(), anyLong(), any(TimeUnit.class))).thenThrow(failure);

        for (String path : new String[] {"/api/counters/a/increments", "/increment"}) {
            MvcResult result =
                    mvc.perform(post(path).header("Idempotency-Key", "k-1")).andReturn();

            assertThat(result.getResponse().getStatus()).isEqualTo(status);
            assertThat(result.getResponse().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            JsonNode problem = MAPPER.readTree(result.getResponse().getContentAsString());
            assertThat(problem.get("status").asInt()).isEqualTo(status);
            assertThat(problem.get("type").asText()).startsWith("urn:counter-platform:problem:");
            assertThat(problem.get("title").asText()).isNotBlank();
            assertThat(problem.get("detail").asText()).doesNotContain("Exception", "org.", "java.", "Broken pipe");
            if (status == 503) {
                assertThat(result.getResponse().getHeader("Retry-After")).isEqualTo("1");
            }
        }
    }
}
