package io.counterplatform.support.security;

import io.counterplatform.support.problem.Refusal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Authenticates the caller by {@code X-Api-Key}: no header, an anonymous caller (who may still read and, unless
 * configured otherwise, increment); a valid key, the admin or the client it belongs to; any other key, a
 * {@code 401} at once, whatever was asked.
 */
public final class ApiKeyFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Api-Key";

    private final ApiKeys keys;
    private final HandlerExceptionResolver problems;

    public ApiKeyFilter(ApiKeys keys, HandlerExceptionResolver problems) {
        this.keys = keys;
        this.problems = problems;
    }

    /** A {@code 401}, with the scheme a client should use. */
    static Refusal unauthorized(String detail) {
        return new Refusal(HttpStatus.UNAUTHORIZED, "unauthorized", detail)
                .header(HttpHeaders.WWW_AUTHENTICATE, "ApiKey header=\"" + HEADER + "\"");
    }

    /** A stream's later dispatches are authorized again, so they must know the caller again. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = request.getHeader(HEADER);
        if (presented != null) {
            Caller caller = keys.authenticate(presented).orElse(null);
            if (caller == null) {
                unauthorized("the " + HEADER + " is not valid").send(problems, request, response);
                return;
            }
            SecurityContextHolder.getContext()
                    .setAuthentication(new UsernamePasswordAuthenticationToken(
                            caller,
                            null,
                            List.of(new SimpleGrantedAuthority(caller.admin() ? "ROLE_ADMIN" : "ROLE_CLIENT"))));
        }
        chain.doFilter(request, response);
    }
}
