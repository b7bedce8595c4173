package fr.guichet.channel.voice;

import fr.guichet.channel.voice.VoiceTwiml.Keypad;
import fr.guichet.channel.voice.VoiceTwiml.Line;
import fr.guichet.conversation.Prompt;
import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
import fr.guichet.notify.ReminderCalls;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The reminder call a fixed line gets instead of a text (placed by {@code fr.guichet.notify.ReminderCalls}):
 * the appointment read twice in the person's language, then "press 1 to confirm, 2 to cancel"; cancelling asks once
 * more. Signatures are checked by the filter on {@code /twilio/**}.
 *
 * <p>Languages Twilio can speak get {@code <Say>} with the locale's voice; the others ({@code fa-AF}, {@code ps}) get
 * {@code <Play>} of their recordings when every reminder prompt is recorded, and French otherwise — a call in
 * silence would help nobody. Recordings cannot hold the date (docs/voice.md): the reference is played digit by digit.
 */
@RestController
class ReminderCallController {
    private static final Logger log = LoggerFactory.getLogger(ReminderCallController.class);
    private static final MediaType TWIML = MediaType.parseMediaType("text/xml;charset=UTF-8");
    /** Every prompt of the call: a language without a voice is used only if all of them are recorded. */
    static final List<String> PROMPTS = List.of("reminder.call.hello", "reminder.call.details", "reminder.call.keys",
            "reminder.call.confirmed", "reminder.call.cancel_confirm", "reminder.call.cancelled", "reminder.call.kept",
            "reminder.call.no_input", "reminder.call.inactive");
    /** Said instead of the details when the call convokes (the queue gave a landline this appointment). */
    private static final String CONVOCATION = "reminder.call.convocation";
    /** Said instead of the details, then goodbye, when the call tells of a cancellation made by someone else. */
    private static final String CANCELLATION = "reminder.call.cancellation";
    private static final String FALLBACK = "fr";

    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    private final ReminderCalls calls;
    private final VoiceTwiml twiml;
    private final RecordedPrompts recordings;
    private final LocaleFiles texts;
    private final Duration gatherTimeout;

    ReminderCallController(ReminderCalls calls, VoiceTwiml twiml, RecordedPrompts recordings, LocaleFiles texts,
            @Value("${app.voice.gather-timeout:6s}") Duration gatherTimeout) {
        this.calls = calls;
        this.twiml = twiml;
        this.recordings = recordings;
        this.texts = texts;
        this.gatherTimeout = gatherTimeout;
    }

    /** Twilio asks what to say once the person picked up. */
    @PostMapping(path = "/twilio/voice/reminder-call", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<String> answered(@RequestParam(name = "r", required = false) String attempt,
            @RequestParam(name = "CallSid", required = false) String callSid,
            @RequestParam(name = "AnsweredBy", required = false) String answeredBy) {
        long id = attempt(attempt);
        String sid = callSid(callSid);
        // machine_start, machine_end_beep, machine_end_silence, machine_end_other, fax; human or unknown: a person.
        boolean machine = answeredBy != null && (answeredBy.startsWith("machine") || answeredBy.equals("fax"));
        return twiml(() -> {
            Optional<ReminderCalls.Script> script = calls.answered(id, sid, machine);
            if (script.isEmpty()) return twiml.render(List.of(), false, new VoiceTwiml.HangUp());
            ReminderCalls.Script s = script.get();
            String lang = spoken(s);
            if (s.kind() == ReminderCalls.Kind.CANCELLATION) {
                // Nothing to choose: the notice read twice, for a person or a voicemail alike.
                return twiml.render(List.of(line(lang, "reminder.call.hello", s, false), line(lang, CANCELLATION, s, true)), false,
                        new VoiceTwiml.HangUp());
            }
            if (!s.active()) return twiml.render(List.of(line(lang, "reminder.call.inactive", s, false)), false, new VoiceTwiml.HangUp());
            List<Line> lines = new ArrayList<>();
            lines.add(line(lang, "reminder.call.hello", s, false));
            lines.add(line(lang, details(s), s, true));
            // A voicemail hears the message, read twice, and no keys; the person is called again.
            if (machine) return twiml.render(lines, false, new VoiceTwiml.HangUp());
            lines.add(line(lang, "reminder.call.keys", s, false));
            return twiml.render(lines, false, keypad(id, "first"));
        });
    }

    /** The key pressed ({@code step}: first, again after silence, or cancel to confirm a cancellation). */
    @PostMapping(path = "/twilio/voice/reminder-call/keys", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<String> keys(@RequestParam(name = "r", required = false) String attempt,
            @RequestParam(name = "step", defaultValue = "first") String step,
            @RequestParam(name = "CallSid", required = false) String callSid,
            @RequestParam(name = "Digits", required = false) String digits) {
        long id = attempt(attempt);
        String sid = callSid(callSid);
        String key = VoiceWebhookController.digits(digits);
        return twiml(() -> {
            Optional<ReminderCalls.Script> script = calls.script(id, sid);
            if (script.isEmpty()) return twiml.render(List.of(), false, new VoiceTwiml.HangUp());
            ReminderCalls.Script s = script.get();
            String lang = spoken(s);
            if (step.equals("cancel")) {
                return switch (key) {
                    case "2" -> switch (calls.cancel(id, sid)) {
                        case CANCELLED -> end(lang, "reminder.call.cancelled", s);
                        case UNAVAILABLE -> twiml.render(List.of(new Line(lang, prompt(lang, "voice.error", s, false))), false,
                                new VoiceTwiml.HangUp());
                        default -> end(lang, "reminder.call.inactive", s);
                    };
                    case "1" -> confirm(id, sid, lang, s);
                    default -> {
                        calls.kept(id, sid);
                        yield end(lang, "reminder.call.kept", s);
                    }
                };
            }
            return switch (key) {
                case "1" -> confirm(id, sid, lang, s);
                case "2" -> s.active()
                        ? twiml.render(List.of(line(lang, "reminder.call.cancel_confirm", s, false)), false, keypad(id, "cancel"))
                        : end(lang, "reminder.call.inactive", s);
                default -> {
                    if (step.equals("first")) {
                        // Silence or another key: the keys once more, then goodbye.
                        yield twiml.render(List.of(line(lang, "reminder.call.keys", s, false)), false, keypad(id, "again"));
                    }
                    calls.kept(id, sid);
                    yield end(lang, "reminder.call.no_input", s);
                }
            };
        });
    }

    /** Twilio's status callback for the attempt: busy, no-answer and failed lead to the next attempt. */
    @PostMapping(path = "/twilio/voice/reminder-call/status", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<Void> status(@RequestParam(name = "r", required = false) String attempt,
            @RequestParam(name = "CallSid", required = false) String callSid,
            @RequestParam(name = "CallStatus", required = false) String status,
            @RequestParam(name = "CallDuration", required = false) String duration) {
        long id = attempt(attempt);
        String sid = callSid(callSid);
        if (status == null || !status.matches("[a-z-]{1,32}")) throw new BadRequest("CallStatus is missing or not a call status.");
        Integer seconds = duration != null && duration.matches("[0-9]{1,7}") ? Integer.valueOf(duration) : null;
        calls.status(id, sid, status, seconds);
        return ResponseEntity.noContent().build();
    }

    private String confirm(long id, String sid, String lang, ReminderCalls.Script s) {
        return switch (calls.confirm(id, sid)) {
            case CONFIRMED -> end(lang, "reminder.call.confirmed", s);
            default -> end(lang, "reminder.call.inactive", s);
        };
    }

    private String end(String lang, String key, ReminderCalls.Script s) {
        return twiml.render(List.of(line(lang, key, s, false)), false, new VoiceTwiml.HangUp());
    }

    private Keypad keypad(long id, String step) {
        return new Keypad(twiml.url("/twilio/voice/reminder-call/keys?r=" + id + "&step=" + step), 1, gatherTimeout, null);
    }

    /**
     * The person's language when the phone can speak it (a voice, or every prompt of this call recorded, the
     * convocation's own for a convocation call), else French.
     */
    String spoken(ReminderCalls.Script script) {
        String language = script.language();
        Optional<LanguageProfile> profile = texts.byTag(language);
        if (profile.isEmpty()) return FALLBACK;
        if (profile.get().twilioVoice() != null && profile.get().twilioLanguage() != null) return language;
        boolean recorded = PROMPTS.stream().allMatch(k -> recordings.recording(language, k).isPresent())
                && recordings.recording(language, details(script)).isPresent()
                && RecordedPrompts.DIGIT_KEYS.stream().allMatch(k -> recordings.recording(language, k).isPresent());
        if (!recorded) log.info("Voice: reminder call in French, {} has no voice and not every reminder prompt recorded", language);
        return recorded ? language : FALLBACK;
    }

    /** What the call is about: the appointment reminded, convoked or cancelled. */
    private static String details(ReminderCalls.Script s) {
        return switch (s.kind()) {
            case REMINDER -> "reminder.call.details";
            case CONVOCATION -> CONVOCATION;
            case CANCELLATION -> CANCELLATION;
        };
    }

    private Line line(String lang, String key, ReminderCalls.Script s, boolean readTwice) {
        return new Line(lang, prompt(lang, key, s, readTwice));
    }

    private Prompt prompt(String lang, String key, ReminderCalls.Script s, boolean readTwice) {
        // Only the details name the reference: with recordings, a prompt carrying one is followed by its digits.
        Map<String, Object> args = key.equals(details(s))
                ? Map.of("reference", s.reference().grouped(), "start", s.start(), "site", s.siteName(), "address", s.address())
                : Map.of("start", s.start(), "site", s.siteName(), "address", s.address());
        return new Prompt(key, args, texts.text(lang, key, args), readTwice);
    }

    private ResponseEntity<String> twiml(java.util.function.Supplier<String> body) {
        String xml;
        try {
            xml = body.get();
        } catch (RuntimeException e) {
            // The person is on the line: an apology, never an HTTP error Twilio would read out as an application error.
            log.error("Voice: a reminder call step failed; the person hears an apology", e);
            xml = twiml.render(List.of(new Line(FALLBACK, new Prompt("voice.error", Map.of(),
                    texts.text(FALLBACK, "voice.error", Map.of()), false))), false, new VoiceTwiml.HangUp());
        }
        return ResponseEntity.ok().contentType(TWIML).body(xml);
    }

    private static long attempt(String raw) {
        if (raw == null || !raw.matches("[0-9]{1,18}")) throw new BadRequest("r is missing or not an attempt id.");
        return Long.parseLong(raw);
    }

    private static String callSid(String callSid) {
        if (callSid == null || !callSid.matches("[A-Za-z0-9]{10,64}")) throw new BadRequest("CallSid is missing or malformed.");
        return callSid;
    }

    @ExceptionHandler(BadRequest.class)
    ResponseEntity<ProblemDetail> bad(BadRequest e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setType(URI.create("about:blank"));
        problem.setTitle("Bad voice webhook");
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
