package io.counterplatform.query.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Every {@code /api/admin} request needs the {@code X-Api-Key} header; without the right one it is a 401. */
@Component
class AdminAuthentication implements HandlerInterceptor, WebMvcConfigurer {

    static final String HEADER = "X-Api-Key";

    private final AdminApiKey key;

    AdminAuthentication(AdminApiKey key) {
        this.key = key;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/admin/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!key.matches(request.getHeader(HEADER))) {
            ErrorResponseException unauthorized = new ErrorResponseException(HttpStatus.UNAUTHORIZED);
            unauthorized.setTitle("Unauthorized");
            unauthorized.setDetail("the admin API needs a valid " + HEADER + " header");
            unauthorized.getHeaders().set("WWW-Authenticate", "ApiKey header=\"" + HEADER + "\"");
            throw unauthorized;
        }
        return true;
    }
}
