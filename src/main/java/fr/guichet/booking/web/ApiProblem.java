package fr.guichet.booking.web;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A refusal the API explains: an HTTP status, a short stable {@code code} a client can branch on, a sentence for
 * people, and the fields at fault (422). Turned into {@code application/problem+json} by {@link ApiProblems}.
 */
final class ApiProblem extends RuntimeException {
    /** One invalid field of the request body or query, named as the client sent it ({@code applicant.phone}). */
    record FieldError(String field, String message) {}

    private final HttpStatus status;
    private final String code;
    private final List<FieldError> errors;
    private String instance;

    ApiProblem(HttpStatus status, String code, String detail, List<FieldError> errors) {
        // No stack trace: these are answers, not failures.
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    ApiProblem(HttpStatus status, String code, String detail) {
        this(status, code, detail, List.of());
    }

    static ApiProblem invalid(String field, String message) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-request", "The request has invalid fields.",
                List.of(new FieldError(field, message)));
    }

    static ApiProblem notFound(String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "not-found", detail);
    }

    /** Names the resource in the answer instead of the request path, e.g. so a 404 does not echo the reference. */
    ApiProblem about(String instance) {
        this.instance = instance;
        return this;
    }

    String instance() {
        return instance;
    }

    HttpStatus status() {
        return status;
    }

    String code() {
        return code;
    }

    List<FieldError> errors() {
        return errors;
    }
}
