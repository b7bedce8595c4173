package fr.guichet.channel.voice;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Staff list of callers waiting for a call back (asked for a person outside the hours, or nobody answered).
 * Behind the staff token (fr.guichet.staff).
 */
@RestController
class CallbackAdminController {
    record CallbackView(long id, String phone, String masked, String language, String site, Instant requestedAt) {}

    private final VoiceCalls calls;

    CallbackAdminController(VoiceCalls calls) {
        this.calls = calls;
    }

    @GetMapping("/api/v1/admin/callbacks")
    ResponseEntity<?> open(@RequestParam(defaultValue = "200") int limit) {
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
    ResponseEntity<?> done(@PathVariable long id) {
        return calls.callbackDone(id) ? ResponseEntity.noContent().build()
                : problem(HttpStatus.NOT_FOUND, "No open call-back request with this id.");
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("about:blank"));
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response.body(problem);
    }
}
