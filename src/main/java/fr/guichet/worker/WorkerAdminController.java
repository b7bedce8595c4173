package fr.guichet.worker;

import fr.guichet.language.Languages;
import fr.guichet.phone.InvalidPhoneNumberException;
import fr.guichet.phone.PhoneNumber;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Staff API of the workers' registry ({@code Authorization: Bearer <APP_ADMIN_TOKEN>}, checked by
 * the staff token filter of fr.guichet.staff). The PIN goes in, is hashed, and never comes out: not in answers, not in logs.
 */
@RestController
@RequestMapping("/api/v1/admin/workers")
class WorkerAdminController {
    private static final Logger log = LoggerFactory.getLogger(WorkerAdminController.class);
    private static final int MAX_PHONES = 5;

    private final WorkerRegistry registry;
    private final PinHasher pins;
    private final Languages languages;
    private final Clock clock;
    private final TransactionTemplate transactions;

    WorkerAdminController(WorkerRegistry registry, PinHasher pins, Languages languages, Clock clock, TransactionTemplate transactions) {
        this.registry = registry;
        this.pins = pins;
        this.languages = languages;
        this.clock = clock;
        this.transactions = transactions;
    }

    /** The registration body; every field is checked and reported at once (422 with the list). */
    record NewWorker(String name, String organisation, List<String> phones, String pin, String language, Integer dailyLimit) {
        /** Never the PIN, the name or the numbers, should this reach a log line. */
        @Override
        public String toString() {
            return "NewWorker[phones=" + (phones == null ? 0 : phones.size()) + ", language=" + language + "]";
        }
    }

    record PinChange(String pin) {
        @Override
        public String toString() {
            return "PinChange[…]";
        }
    }

    record Created(long id) {}

    /** One field that is wrong and why. */
    record FieldError(String field, String detail) {}

    static final class Invalid extends RuntimeException {
        final List<FieldError> errors;

        Invalid(List<FieldError> errors) {
            super("invalid request");
            this.errors = List.copyOf(errors);
        }
    }

    static final class NotFound extends RuntimeException {
        NotFound() {
            super("not found");
        }
    }

    @PostMapping
    ResponseEntity<Created> register(@RequestBody(required = false) NewWorker body) {
        if (body == null) throw new Invalid(List.of(new FieldError("body", "a JSON object is needed")));
        List<FieldError> errors = new ArrayList<>();
        String name = text(body.name(), "name", 120, errors);
        String organisation = text(body.organisation(), "organisation", 160, errors);
        List<PhoneNumber> phones = phones(body.phones(), errors);
        pinError(body.pin(), errors);
        if (body.language() == null || languages.byTag(body.language()).isEmpty()) {
            errors.add(new FieldError("language", "one of " + languages.offered().stream().map(l -> l.tag()).toList()));
        }
        if (body.dailyLimit() == null || body.dailyLimit() < 1 || body.dailyLimit() > 1000) {
            errors.add(new FieldError("dailyLimit", "a whole number from 1 to 1000"));
        }
        if (!errors.isEmpty()) throw new Invalid(errors);
        String hash = pins.hash(body.pin());
        long id = transactions.execute(s -> registry.register(name, organisation, phones, hash, body.language(), body.dailyLimit(),
                clock.instant()));
        log.info("Worker {} registered with {} number(s)", id, phones.size());
        return ResponseEntity.created(URI.create("/api/v1/admin/workers/" + id)).body(new Created(id));
    }

    @GetMapping
    List<Worker> list() {
        return registry.list();
    }

    @GetMapping("/{id}")
    Worker one(@PathVariable("id") long id) {
        return registry.find(id).orElseThrow(NotFound::new);
    }

    @PostMapping("/{id}/deactivate")
    ResponseEntity<Void> deactivate(@PathVariable("id") long id) {
        if (!Boolean.TRUE.equals(transactions.execute(s -> registry.deactivate(id, clock.instant())))) throw new NotFound();
        log.info("Worker {} deactivated", id);
        return ResponseEntity.noContent().build();
    }

    /** RGPD: a worker who left, once deactivated, is erased (name, numbers, PIN); their bookings stay. */
    @DeleteMapping("/{id}")
    ResponseEntity<Void> erase(@PathVariable("id") long id) {
        WorkerRegistry.Erased erased = transactions.execute(s -> registry.erase(id, clock.instant()));
        switch (erased) {
            case UNKNOWN -> throw new NotFound();
            case STILL_ACTIVE -> throw new StillActive();
            case ERASED -> log.info("Worker {} erased", id);
        }
        return ResponseEntity.noContent().build();
    }

    static final class StillActive extends RuntimeException {
        StillActive() {
            super("worker still active", null, false, false);
        }
    }

    @ExceptionHandler(StillActive.class)
    ResponseEntity<ProblemDetail> stillActive(StillActive e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "This worker is still active: deactivate them first (POST /api/v1/admin/workers/{id}/deactivate).");
        problem.setTitle("Worker still active");
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }

    @PutMapping("/{id}/pin")
    ResponseEntity<Void> resetPin(@PathVariable("id") long id, @RequestBody(required = false) PinChange body) {
        List<FieldError> errors = new ArrayList<>();
        pinError(body == null ? null : body.pin(), errors);
        if (!errors.isEmpty()) throw new Invalid(errors);
        String hash = pins.hash(body.pin());
        if (!Boolean.TRUE.equals(transactions.execute(s -> registry.resetPin(id, hash, clock.instant())))) throw new NotFound();
        log.info("Worker {}: PIN reset", id);
        return ResponseEntity.noContent().build();
    }

    private static String text(String value, String field, int max, List<FieldError> errors) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty() || v.length() > max || v.codePoints().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError(field, "1 to " + max + " characters, no control characters"));
        }
        return v;
    }

    private static List<PhoneNumber> phones(List<String> raw, List<FieldError> errors) {
        if (raw == null || raw.isEmpty() || raw.size() > MAX_PHONES) {
            errors.add(new FieldError("phones", "1 to " + MAX_PHONES + " phone numbers"));
            return List.of();
        }
        Set<PhoneNumber> out = new LinkedHashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            try {
                PhoneNumber phone = PhoneNumber.parse(raw.get(i));
                if (!phone.canReceiveTexts()) {
                    errors.add(new FieldError("phones[" + i + "]", "not a mobile number: the worker receives texts on it"));
                } else {
                    out.add(phone);
                }
            } catch (InvalidPhoneNumberException e) {
                errors.add(new FieldError("phones[" + i + "]", "not a valid phone number (" + e.reason().name().toLowerCase().replace('_', ' ')
                        + "); write it in international form, e.g. +33612345678"));
            }
        }
        return List.copyOf(out);
    }

    private static void pinError(String pin, List<FieldError> errors) {
        String weakness = PinHasher.weakness(pin);
        if (weakness != null) errors.add(new FieldError("pin", weakness));
    }

    @ExceptionHandler(Invalid.class)
    ResponseEntity<ProblemDetail> invalid(Invalid e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, "Some fields are not valid.");
        problem.setTitle("Invalid worker");
        List<Map<String, String>> list = new ArrayList<>();
        for (FieldError error : e.errors) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("field", error.field());
            m.put("detail", error.detail());
            list.add(m);
        }
        problem.setProperty("errors", list);
        return ResponseEntity.unprocessableContent().body(problem);
    }

    /** Two registrations of one number at the same instant: the second meets the primary key, same answer. */
    @ExceptionHandler({WorkerRegistry.PhoneTaken.class, org.springframework.dao.DuplicateKeyException.class})
    ResponseEntity<ProblemDetail> taken(RuntimeException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "A phone number is already registered for another worker.");
        problem.setTitle("Phone number taken");
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }

    @ExceptionHandler(NotFound.class)
    ResponseEntity<ProblemDetail> notFound(NotFound e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No such worker."));
    }
}
