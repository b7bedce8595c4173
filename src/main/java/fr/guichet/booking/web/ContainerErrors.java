package fr.guichet.booking.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors the servlet container answers itself, before any controller (a form over Tomcat's size limit, a path it
 * cannot map), which it forwards to {@code /error}: a problem like every other error of the service, instead of
 * Spring Boot's own JSON. The detail is the status's phrase: the container's reason can quote the request.
 */
@RestController
class ContainerErrors implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        HttpStatus status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code
                && HttpStatus.resolve(code) != null ? HttpStatus.resolve(code) : HttpStatus.INTERNAL_SERVER_ERROR;
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, status.getReasonPhrase() + ".");
        body.setProperty("code", code(status.value()));
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri && uri.startsWith("/")) {
            try {
                body.setInstance(URI.create(uri));
            } catch (IllegalArgumentException e) {
                // A path the container refused can be one no URI parser accepts: the problem goes without it.
            }
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    /** The problem's {@code code} for a status Tomcat answered itself (also {@link ProblemReportValve}'s). */
    static String code(int status) {
        return switch (status) {
            case 400 -> "malformed-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 413 -> "body-too-large";
            default -> status < 500 ? "refused" : "unexpected";
        };
    }
}
