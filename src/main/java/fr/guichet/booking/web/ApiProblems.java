package fr.guichet.booking.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/**
 * Every error of every controller as {@code application/problem+json} (RFC 9457): the framework's own refusals
 * (malformed JSON, wrong types, missing parameters, unknown paths, wrong methods) through
 * {@link ResponseEntityExceptionHandler}, the API's answers ({@link ApiProblem}) with a stable {@code code} and field
 * errors, and anything unexpected as a plain 500 problem with no stack trace, no message and nothing personal logged.
 * Controllers with their own {@code @ExceptionHandler} (the Twilio webhooks) keep it: local handlers come first.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> answer(ApiProblem problem) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.status(), problem.getMessage());
        body.setProperty("code", problem.code());
        if (problem.instance() != null) body.setInstance(java.net.URI.create(problem.instance()));
        if (!problem.errors().isEmpty()) body.setProperty("errors", problem.errors());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (problem.status() == HttpStatus.UNAUTHORIZED) response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return response.body(body);
    }

    /**
     * Malformed JSON is a 400; well-formed JSON with a value of the wrong type or format ({@code "slotId": "abc"},
     * {@code "birthDate": "1990-13-45"}) is a 422 naming the field; an oversized body is a 413.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodySizeLimit.TooLarge tooLarge) {
                return problem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", tooLarge.getMessage(), List.of());
            }
        }
        if (ex.getCause() instanceof DatabindException databind && !databind.getPath().isEmpty()) {
            String field = field(databind.getPath());
            return problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-request", "The request has invalid fields.",
                    List.of(new ApiProblem.FieldError(field, "has the wrong type or format")));
        }
        return problem(HttpStatus.BAD_REQUEST, "malformed-body", "The request body is missing or is not valid JSON.", List.of());
    }

    private static String field(List<JacksonException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference step : path) {
            if (step.getPropertyName() != null) {
                if (!out.isEmpty()) out.append('.');
                out.append(step.getPropertyName());
            } else if (step.getIndex() >= 0) {
                out.append('[').append(step.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "body" : out.toString();
    }

    private static ResponseEntity<Object> problem(HttpStatus status, String code, String detail, List<ApiProblem.FieldError> errors) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setProperty("code", code);
        if (!errors.isEmpty()) body.setProperty("errors", errors);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    /** The outside booking backend could not answer a read (slots): a 503 the client may retry. */
    @ExceptionHandler(fr.guichet.booking.BackendUnavailableException.class)
    ResponseEntity<Object> backendUnavailable(fr.guichet.booking.BackendUnavailableException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "backend-unavailable",
                "The booking backend is not answering. Please try again in a moment.", List.of());
    }

    /**
     * Tomcat could not read a form body (a webhook's parameters) when the application asked for them: over its 2 MB
     * limit is a 413, too many or malformed parameters a 400. (When Tomcat refuses the form itself, {@link ContainerErrors}.)
     */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<Object> unreadableForm(InvalidParameterException e) {
        return e.getErrorCode() == HttpStatus.CONTENT_TOO_LARGE.value()
                ? problem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "The request body is too large.", List.of())
                : problem(HttpStatus.BAD_REQUEST, "malformed-body", "The request parameters could not be read.", List.of());
    }

    /** Anything else: a bug or an outage. The person gets a problem, the log gets the kind of error, never its text. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        ResponseStatus declared = AnnotatedElementUtils.findMergedAnnotation(e.getClass(), ResponseStatus.class);
        if (declared != null) {
            return problem(HttpStatus.valueOf(declared.code().value()), "refused", declared.reason().isBlank()
                    ? HttpStatus.valueOf(declared.code().value()).getReasonPhrase() : declared.reason(), List.of());
        }
        if (e instanceof org.springframework.dao.TransientDataAccessException
                || e instanceof org.springframework.transaction.CannotCreateTransactionException
                || e instanceof org.springframework.dao.DataAccessResourceFailureException) {
            log.warn("Database unavailable on {} {}: {}", request.getMethod(), request.getRequestURI(), e.getClass().getName());
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "The service is busy. Please try again in a moment.", List.of());
        }
        // The exception message can quote values (a phone number in a constraint error): only its class is logged.
        log.error("Unexpected {} on {} {} at {}", e.getClass().getName(), request.getMethod(), request.getRequestURI(),
                e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred.");
        body.setProperty("code", "unexpected");
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }


}
