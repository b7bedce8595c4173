package fr.guichet.channel.voice;

import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Twilio's voice webhooks. Signatures are checked before these run by the filter on {@code /twilio/**} (SMS channel);
 * here only the shape of the parameters is checked: a bad one is a 400 problem, never a 500.
 */
@RestController
class VoiceWebhookController {
    private static final Logger log = LoggerFactory.getLogger(VoiceWebhookController.class);
    private static final MediaType TWIML = MediaType.parseMediaType("text/xml;charset=UTF-8");

    static final class BadWebhook extends RuntimeException {
        BadWebhook(String message) {
            super(message, null, false, false);
        }
    }

    private final VoiceCallFlow flow;

    VoiceWebhookController(VoiceCallFlow flow) {
        this.flow = flow;
    }

    @PostMapping(path = "/twilio/voice", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<String> incoming(@RequestParam(name = "CallSid", required = false) String callSid,
            @RequestParam(name = "From", required = false) String from,
            @RequestParam(name = "FromCountry", required = false) String fromCountry) {
        String sid = callSid(callSid);
        return answer(sid, () -> flow.newCall(sid, from, country(fromCountry)));
    }

    @PostMapping(path = "/twilio/voice/language", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<String> language(@RequestParam(name = "CallSid", required = false) String callSid,
            @RequestParam("n") int step, @RequestParam(name = "page", defaultValue = "0") int page,
            @RequestParam(name = "Digits", required = false) String digits) {
        String sid = callSid(callSid);
        return answer(sid, () -> flow.languageChosen(sid, step(step), Math.clamp(page, 0, 10), digits(digits)));
    }

    @PostMapping(path = "/twilio/voice/step", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<String> step(@RequestParam(name = "CallSid", required = false) String callSid,
            @RequestParam("n") int step,
            @RequestParam(name = "Digits", required = false) String digits,
            @RequestParam(name = "speech", required = false) String speech) {
        String sid = callSid(callSid);
        String speechKey = speech == null ? null : digits(speech);
        return answer(sid, () -> flow.step(sid, step(step), digits(digits), speechKey));
    }

    @PostMapping(path = "/twilio/voice/dialed", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<String> dialed(@RequestParam(name = "CallSid", required = false) String callSid,
            @RequestParam("n") int step,
            @RequestParam(name = "DialCallStatus", required = false) String dialStatus) {
        String sid = callSid(callSid);
        return answer(sid, () -> flow.dialed(sid, step(step), dialStatus == null ? "" : dialStatus));
    }

    @PostMapping(path = "/twilio/voice/reminder", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<String> reminder(@RequestParam(name = "CallSid", required = false) String callSid,
            @RequestParam("n") int step, @RequestParam(name = "ref", defaultValue = "") String reference,
            @RequestParam(name = "Digits", required = false) String digits) {
        String sid = callSid(callSid);
        return answer(sid, () -> flow.reminder(sid, step(step), reference, digits(digits)));
    }

    @PostMapping(path = "/twilio/voice/status", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<Void> status(@RequestParam(name = "CallSid", required = false) String callSid,
            @RequestParam(name = "CallStatus", required = false) String status,
            @RequestParam(name = "CallDuration", required = false) String duration) {
        String sid = callSid(callSid);
        if (status == null || !status.matches("[a-z-]{1,32}")) throw new BadWebhook("CallStatus is missing or not a call status.");
        Integer seconds = duration != null && duration.matches("[0-9]{1,7}") ? Integer.valueOf(duration) : null;
        flow.status(sid, status, seconds);
        return ResponseEntity.noContent().build();
    }

    private ResponseEntity<String> answer(String callSid, java.util.function.Supplier<String> body) {
        String twiml;
        try {
            twiml = body.get();
        } catch (BadWebhook e) {
            throw e;
        } catch (RuntimeException e) {
            // The caller is on the line: an apology in TwiML, never an HTTP error Twilio would read out as "application error".
            log.error("Voice: a step failed; the caller hears an apology", e);
            twiml = flow.failure(callSid);
        }
        return ResponseEntity.ok().contentType(TWIML).body(twiml);
    }

    private static String callSid(String callSid) {
        if (callSid == null || !callSid.matches("[A-Za-z0-9]{10,64}")) throw new BadWebhook("CallSid is missing or malformed.");
        return callSid;
    }

    private static int step(int step) {
        if (step < 0 || step > 100_000) throw new BadWebhook("Step number out of range.");
        return step;
    }

    /** Keypad input: digits, * and # only, at most 32 of them; anything else is dropped. */
    static String digits(String raw) {
        if (raw == null) return "";
        String kept = raw.replaceAll("[^0-9*#]", "");
        return kept.length() > 32 ? kept.substring(0, 32) : kept;
    }

    private static String country(String raw) {
        return raw != null && raw.matches("[A-Za-z]{2}") ? raw.toUpperCase(java.util.Locale.ROOT) : null;
    }

    @ExceptionHandler(BadWebhook.class)
    ResponseEntity<ProblemDetail> badWebhook(BadWebhook e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setType(URI.create("about:blank"));
        problem.setTitle("Bad voice webhook");
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
