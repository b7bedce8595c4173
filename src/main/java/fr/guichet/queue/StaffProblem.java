package fr.guichet.queue;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A refusal of the queue's staff API, rendered as {@code application/problem+json} by the service's problem handler,
 * with the same shape as the booking API's: {@code status}, {@code title}, {@code detail}, a stable {@code code} and,
 * on 422, {@code errors: [{field, message}]}. Nothing from the request is echoed.
 */
final class StaffProblem extends ErrorResponseException {
    private StaffProblem(HttpStatus status, String code, String detail, List<Map<String, String>> errors) {
        super(status, body(status, code, detail, errors), null);
    }

    private static ProblemDetail body(HttpStatus status, String code, String detail, List<Map<String, String>> errors) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setProperty("code", code);
        if (!errors.isEmpty()) body.setProperty("errors", errors);
        return body;
    }

    static StaffProblem notFound(String detail) {
        return new StaffProblem(HttpStatus.NOT_FOUND, "not-found", detail, List.of());
    }

    static StaffProblem conflict(String code, String detail) {
        return new StaffProblem(HttpStatus.CONFLICT, code, detail, List.of());
    }

    static StaffProblem invalid(String field, String message) {
        return new StaffProblem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-request", "The request has invalid fields.",
                List.of(Map.of("field", field, "message", message)));
    }
}
