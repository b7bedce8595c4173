package fr.guichet.channel;

import com.twilio.security.RequestValidator;
import fr.guichet.notify.TwilioAccount;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks {@code X-Twilio-Signature} on every POST under {@code /twilio/}: SMS, status callbacks, voice. The signed
 * URL is the public one Twilio called ({@code APP_PUBLIC_BASE_URL} + path + query), never the one the servlet sees
 * behind a proxy; the parameters are the form body ones only (the servlet merges query parameters in, and those are
 * already part of the URL). With no auth token configured, only loopback callers are let through.
 */
public final class TwilioSignatureFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(TwilioSignatureFilter.class);
    public static final String HEADER = "X-Twilio-Signature";

    private final RequestValidator validator;
    private final String publicBaseUrl;

    public TwilioSignatureFilter(TwilioAccount account, String publicBaseUrl) {
        this.validator = account.signsWebhooks() ? new RequestValidator(account.authToken()) : null;
        this.publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        if (validator == null) {
            log.warn("Twilio webhooks: no TWILIO_AUTH_TOKEN, signatures cannot be checked — /twilio/** accepts loopback callers only");
        } else {
            log.info("Twilio webhooks: X-Twilio-Signature checked against {}", this.publicBaseUrl);
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equalsIgnoreCase(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (validator == null) {
            if (isLoopback(request.getRemoteAddr())) {
                chain.doFilter(request, response);
            } else {
                forbid(response, request.getRequestURI(), "Webhooks are accepted from loopback only when no Twilio auth token is configured.");
            }
            return;
        }
        String signature = request.getHeader(HEADER);
        if (signature == null || signature.isBlank()) {
            forbid(response, request.getRequestURI(), "Missing X-Twilio-Signature.");
            return;
        }
        String query = request.getQueryString();
        String url = publicBaseUrl + request.getRequestURI() + (query == null ? "" : "?" + query);
        if (!validator.validate(url, bodyParameters(request, query), signature)) {
            log.warn("Twilio webhook with a bad signature refused on {}", request.getRequestURI());
            forbid(response, request.getRequestURI(), "Bad X-Twilio-Signature.");
            return;
        }
        chain.doFilter(request, response);
    }

    /** Form parameters minus those that came from the query string (Twilio signs the URL with its query as is). */
    static Map<String, String> bodyParameters(HttpServletRequest request, String query) {
        Set<String> fromQuery = new HashSet<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                try {
                    fromQuery.add(URLDecoder.decode(name, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    fromQuery.add(name);
                }
            }
        }
        Map<String, String> params = new HashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (!fromQuery.contains(name) && values.length > 0) params.put(name, values[0]);
        });
        return params;
    }

    private static boolean isLoopback(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void forbid(HttpServletResponse response, String path, String detail) throws IOException {
        response.setStatus(403);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,\"detail\":\""
                + detail.replace("\"", "'") + "\",\"instance\":\"" + path.replace("\"", "") + "\"}");
    }
}
