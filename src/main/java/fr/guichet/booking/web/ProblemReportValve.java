package fr.guichet.booking.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Errors Tomcat answers before a request reaches the application (a path holding an encoded NUL or slash, which it
 * refuses while mapping): a problem like every other error of the service, instead of Tomcat's HTML page. Installed
 * as the host's error report valve by {@link WebErrorsConfiguration}; what reaches the application is answered by
 * {@link ApiProblems} and {@link ContainerErrors}. Public: Tomcat creates it from its class name.
 */
public class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) return;
        AtomicBoolean writable = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, writable);
        if (!writable.get()) return;
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer == null) return;
            writer.write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                    + ",\"detail\":\"The request could not be read.\",\"code\":\"" + ContainerErrors.code(status) + "\"}");
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // The connection is gone or the answer already started: nothing more can be said.
        }
    }
}
