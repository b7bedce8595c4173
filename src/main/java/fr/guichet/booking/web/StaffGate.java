package fr.guichet.booking.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The staff booking API needs {@code Authorization: Bearer <APP_ADMIN_TOKEN>}: no token sent is 401, a wrong one 403,
 * and with no token configured the staff API is closed (403). Compared in constant time.
 */
@Component
class StaffGate implements HandlerInterceptor {
    private final byte[] token;

    StaffGate(@Value("${app.admin-token:}") String token) {
        this.token = token == null ? new byte[0] : token.strip().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (token.length == 0) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "staff-api-closed", "The staff API is closed: no admin token is configured.");
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "token-missing", "A staff bearer token is needed.");
        }
        String given = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).strip() : "";
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token)) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "token-refused", "This staff token is not accepted.");
        }
        return true;
    }
}
