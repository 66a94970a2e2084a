package io.counterplatform.support.security;

import io.counterplatform.support.problem.ProblemErrorReportValve;
import io.counterplatform.support.problem.Refusal;
import org.apache.catalina.core.StandardHost;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * What both services' security shares: the API keys, a stateless filter chain that authenticates by
 * {@code X-Api-Key} and answers every refusal with a problem, Spring Security's strict firewall (no {@code ;},
 * encoded {@code /}, {@code \\}, {@code %25}, {@code ..}, NUL or control characters in a path: a {@code 400},
 * never a silently different path), and problems from the servlet container too (the services have no error
 * page: the container's error report answers). Each service adds which paths need which caller.
 */
@AutoConfiguration
@EnableConfigurationProperties({AdminProperties.class, SecurityProperties.class})
public class ApiKeySecurity {

    @Bean
    ApiKeys apiKeys(AdminProperties admin, SecurityProperties properties) {
        return new ApiKeys(admin.apiKey(), properties.clientKeys());
    }

    /**
     * Spring Security observes nothing of its own: requests are measured whole ({@code http.server.requests}).
     * Switching its observations off by name is not enough: its chain would still wrap every filter in an observing
     * decorator.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    RequestRejectedHandler requestRejectedHandler(
            @Lazy @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
        return (request, response, rejected) -> new Refusal(
                        HttpStatus.BAD_REQUEST, "rejected-path", ProblemErrorReportValve.REJECTED_PATH)
                .send(problems, request, response);
    }

    /** Tomcat's own refusals, and whatever fails outside Spring MVC, as problems: see {@link ProblemErrorReportValve}. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    /** The common part of each service's filter chain; the service then says which paths need whom. */
    public static HttpSecurity apiKeys(HttpSecurity http, ApiKeys keys) throws Exception {
        HandlerExceptionResolver problems = http.getSharedObject(ApplicationContext.class)
                .getBean("handlerExceptionResolver", HandlerExceptionResolver.class);
        return http.csrf(AbstractHttpConfigurer::disable) // no cookies, no sessions: nothing to forge
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .cors(cors -> {})
                // the security headers before the handler runs: a live stream is written from another thread, and
                // headers written as the request thread leaves the chain would race that writer
                .headers(headers -> headers.addObjectPostProcessor(new ObjectPostProcessor<HeaderWriterFilter>() {
                    @Override
                    public <F extends HeaderWriterFilter> F postProcess(F filter) {
                        filter.setShouldWriteHeadersEagerly(true);
                        return filter;
                    }
                }))
                .addFilterBefore(new ApiKeyFilter(keys, problems), AnonymousAuthenticationFilter.class)
                .exceptionHandling(refusals -> refusals.authenticationEntryPoint((request, response, failure) ->
                                ApiKeyFilter.unauthorized("this needs a valid " + ApiKeyFilter.HEADER + " header")
                                        .send(problems, request, response))
                        // as the contract has it: without the admin key (a client key too), an admin call is a 401
                        .accessDeniedHandler(
                                (request, response, denied) -> ApiKeyFilter.unauthorized("this needs the admin key")
                                        .send(problems, request, response)));
    }
}
