package fr.guichet.channel.voice;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Staff list of callers waiting for a call back (asked for a person outside the hours, or nobody answered).
 * Needs {@code Authorization: Bearer <APP_ADMIN_TOKEN>}; closed when no token is configured.
 */
@RestController
class CallbackAdminController {
    record CallbackView(long id, String phone, String masked, String language, String site, Instant requestedAt) {}

    private final VoiceCalls calls;
    private final String adminToken;

    CallbackAdminController(VoiceCalls calls, @Value("${app.admin-token:}") String adminToken) {
        this.calls = calls;
        this.adminToken = adminToken == null ? "" : adminToken.strip();
    }

    @GetMapping("/api/v1/admin/callbacks")
    ResponseEntity<?> open(@RequestHeader(name = "Authorization", required = false) String authorization,
            @RequestParam(defaultValue = "200") int limit) {
        ResponseEntity<ProblemDetail> refused = refused(authorization);
        if (refused != null) return refused;
        List<CallbackView> views = calls.openCallbacks(Math.clamp(limit, 1, 1000)).stream()
                .map(c -> {
                    fr.guichet.phone.PhoneNumber phone = new fr.guichet.phone.PhoneNumber(c.phone());
                    return new CallbackView(c.id(), phone.e164(), phone.masked(), c.language(), c.siteCode(), c.requestedAt());
                })
                .toList();
        return ResponseEntity.ok(views);
    }

    /** Staff mark a request handled once they have called the person back. */
    @PostMapping("/api/v1/admin/callbacks/{id}/done")
    ResponseEntity<?> done(@RequestHeader(name = "Authorization", required = false) String authorization, @PathVariable long id) {
        ResponseEntity<ProblemDetail> refused = refused(authorization);
        if (refused != null) return refused;
        return calls.callbackDone(id) ? ResponseEntity.noContent().build()
                : problem(HttpStatus.NOT_FOUND, "No open call-back request with this id.");
    }

    private ResponseEntity<ProblemDetail> refused(String authorization) {
        if (adminToken.isEmpty()) return problem(HttpStatus.FORBIDDEN, "The staff API is closed: no admin token is configured.");
        String given = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7).strip() : "";
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), adminToken.getBytes(StandardCharsets.UTF_8))) {
            return problem(HttpStatus.UNAUTHORIZED, "A valid staff bearer token is needed.");
        }
        return null;
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("about:blank"));
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (status == HttpStatus.UNAUTHORIZED) response.header("WWW-Authenticate", "Bearer");
        return response.body(problem);
    }
}
