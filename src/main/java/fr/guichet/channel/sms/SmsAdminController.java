package fr.guichet.channel.sms;

import fr.guichet.notify.SmsNumbers;
import java.net.URI;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Staff view of numbers the service will not text: opted out, or unable to receive texts (landline, invalid,
 * unknown handset). Needs {@code Authorization: Bearer <APP_ADMIN_TOKEN>}; closed when no token is configured.
 */
@RestController
class SmsAdminController {
    record NumberView(String phone, String masked, boolean optedOut, Instant optedOutAt, boolean smsCapable,
                      Integer lastErrorCode, Instant updatedAt) {}

    static final class NotAllowed extends RuntimeException {
        final HttpStatus status;

        NotAllowed(HttpStatus status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final SmsNumbers numbers;
    private final String adminToken;

    SmsAdminController(SmsNumbers numbers, @Value("${app.admin-token:}") String adminToken) {
        this.numbers = numbers;
        this.adminToken = adminToken == null ? "" : adminToken.strip();
    }

    @GetMapping("/api/v1/admin/sms/numbers")
    List<NumberView> flaggedNumbers(@RequestHeader(name = "Authorization", required = false) String authorization,
                                    @RequestParam(defaultValue = "200") int limit) {
        checkStaff(authorization);
        return numbers.flagged(Math.clamp(limit, 1, 1000)).stream()
                .map(f -> new NumberView(f.phone().e164(), f.phone().masked(), f.optedOut(), f.optedOutAt(), f.smsCapable(),
                        f.lastErrorCode(), f.updatedAt()))
                .toList();
    }

    private void checkStaff(String authorization) {
        if (adminToken.isEmpty()) throw new NotAllowed(HttpStatus.FORBIDDEN, "The staff API is closed: no admin token is configured.");
        String given = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7).strip() : "";
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), adminToken.getBytes(StandardCharsets.UTF_8))) {
            throw new NotAllowed(HttpStatus.UNAUTHORIZED, "A valid staff bearer token is needed.");
        }
    }

    @ExceptionHandler(NotAllowed.class)
    org.springframework.http.ResponseEntity<ProblemDetail> notAllowed(NotAllowed e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status, e.getMessage());
        problem.setType(URI.create("about:blank"));
        return org.springframework.http.ResponseEntity.status(e.status)
                .header("WWW-Authenticate", "Bearer").body(problem);
    }
}
