package fr.guichet.worker;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Bearer <APP_ADMIN_TOKEN>} in front of the workers' staff API. Closed (403) when no token is
 * configured; 401 for a missing or wrong token. The comparison takes the same time whatever the token given.
 * (The older staff endpoints check the token inside their controllers; this filter is mapped only to
 * {@code /api/v1/admin/workers/*} by {@link WorkerConfiguration}.)
 */
final class StaffTokenFilter extends OncePerRequestFilter {
    private final byte[] token;

    StaffTokenFilter(String token) {
        this.token = token == null ? new byte[0] : token.strip().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (token.length == 0) {
            refuse(response, 403, "Forbidden", "The staff API is closed: no admin token is configured.");
            return;
        }
        String header = request.getHeader("Authorization");
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7).strip() : "";
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token)) {
            response.setHeader("WWW-Authenticate", "Bearer");
            refuse(response, 401, "Unauthorized", "A valid staff bearer token is needed.");
            return;
        }
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletResponse response, int status, String title, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
    }
}
