package fr.guichet.booking.web;

import fr.guichet.booking.Appointment;
import fr.guichet.booking.AppointmentStatus;
import fr.guichet.booking.Applicant;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.BookingCommand;
import fr.guichet.booking.BookingOutcome;
import fr.guichet.booking.BookingPort;
import fr.guichet.booking.CancelOutcome;
import fr.guichet.booking.Catalogue;
import fr.guichet.booking.IdempotencyKeyReusedException;
import fr.guichet.booking.NewRequest;
import fr.guichet.booking.OpeningHours;
import fr.guichet.booking.Procedure;
import fr.guichet.booking.QueuedRequest;
import fr.guichet.booking.Reference;
import fr.guichet.booking.Requests;
import fr.guichet.booking.Site;
import fr.guichet.booking.Slot;
import fr.guichet.booking.SlotQuery;
import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
import fr.guichet.phone.PhoneNumber;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The booking API a web front uses: sites, procedures, free slots, appointments (book with an
 * {@code Idempotency-Key}, read, cancel, move) and queued requests. An applicant reaches an appointment only with the
 * reference and the phone number it was booked with; anything else is the same 404.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = "application/json")
@Tag(name = "Booking", description = "Sites, procedures, slots, appointments and queued requests")
public class BookingApi {
    public record OpeningPeriod(DayOfWeek day, LocalTime opens, LocalTime closes) {}

    public record SiteView(String code, String name, String address, String phone, String timeZone, List<OpeningPeriod> openingHours) {}

    public record ProcedureView(String code, String name, boolean anef, int durationMinutes, boolean workerMayBook,
                                String helpProcedure, String documents) {}

    public record SlotView(long id, String site, Instant start, int durationMinutes, int free, List<String> procedures) {}

    public record ApplicantBody(String name, LocalDate birthDate, String phone, String language) {}

    public record BookingBody(Long slotId, String procedure, ApplicantBody applicant) {}

    public record MoveBody(Long slotId) {}

    public record QueueBody(String procedure, String site, ApplicantBody applicant, LocalDate documentExpiry) {}

    public record ApplicantView(String name, LocalDate birthDate, String phone, String language) {}

    public record AppointmentView(String reference, AppointmentStatus status, long slotId, String site, Instant start,
                                  int durationMinutes, String procedure, ApplicantView applicant, BookingChannel channel,
                                  Instant createdAt) {
        static AppointmentView of(Appointment a) {
            Applicant p = a.applicant();
            return new AppointmentView(a.reference().value(), a.status(), a.slotId(), a.site(), a.start(),
                    (int) a.duration().toMinutes(), a.procedure(),
                    new ApplicantView(p.name(), p.birthDate(), p.phone() == null ? null : p.phone().e164(), p.language()),
                    a.channel(), a.createdAt());
        }
    }

    public record RequestView(String reference, Instant receivedAt, QueuedRequest.RequestStatus status, String procedure, String site) {}

    static final int DEFAULT_DAYS = 28;
    static final int MAX_DAYS = 366;

    private final BookingPort bookings;
    private final Requests requests;
    private final Catalogue catalogue;
    private final LocaleFiles locales;
    private final Clock clock;
    private final ZoneId zone;

    BookingApi(BookingPort bookings, Requests requests, Catalogue catalogue, LocaleFiles locales, Clock clock,
               @Value("${app.time-zone:Europe/Paris}") ZoneId zone) {
        this.bookings = bookings;
        this.requests = requests;
        this.catalogue = catalogue;
        this.locales = locales;
        this.clock = clock;
        this.zone = zone;
    }

    @GetMapping("/sites")
    @Operation(summary = "Sites (prefecture and sub-prefectures) with their weekly opening hours")
    public List<SiteView> sites() {
        return catalogue.sites().stream().map(this::siteView).toList();
    }

    private SiteView siteView(Site site) {
        List<OpeningPeriod> periods = new ArrayList<>();
        catalogue.openingHours(site.code()).map(OpeningHours::weekly).orElse(Map.of())
                .forEach((day, list) -> list.forEach(p -> periods.add(new OpeningPeriod(day, p.opens(), p.closes()))));
        return new SiteView(site.code(), site.name(), site.address(), site.phone(), site.zone().getId(), periods);
    }

    @GetMapping("/procedures")
    @Operation(summary = "The procedure catalogue, names in the Accept-Language language (French by default)",
            description = "anef: filed online through the ANEF; its counter appointment is the helpProcedure (point d'accueil numérique).")
    public ResponseEntity<List<ProcedureView>> procedures(
            @RequestHeader(name = HttpHeaders.ACCEPT_LANGUAGE, required = false) String acceptLanguage) {
        String language = language(acceptLanguage);
        List<ProcedureView> views = catalogue.procedures().stream().map(p -> procedureView(p, language)).toList();
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_LANGUAGE, language).header(HttpHeaders.VARY, HttpHeaders.ACCEPT_LANGUAGE).body(views);
    }

    private ProcedureView procedureView(Procedure p, String language) {
        return new ProcedureView(p.code(), text(language, "procedure." + p.code() + ".name", p.code()), p.anef(),
                (int) p.duration().toMinutes(), p.workerMayBook(), p.panProcedure(),
                text(language, "procedure." + p.code() + ".documents", null));
    }

    /** The text in the language, else in French, else the fallback: a procedure added by SQL before its texts. */
    private String text(String language, String key, String fallback) {
        for (String tag : List.of(language, "fr")) {
            if (locales.patterns(tag).containsKey(key)) return locales.text(tag, key, Map.of());
        }
        return fallback;
    }

    /** The best offered language for an Accept-Language header; French when none matches or the header is malformed. */
    String language(String acceptLanguage) {
        List<String> offered = locales.offered().stream().map(LanguageProfile::tag).toList();
        if (acceptLanguage == null || acceptLanguage.isBlank() || acceptLanguage.length() > 500) return "fr";
        try {
            List<String> matches = Locale.filterTags(Locale.LanguageRange.parse(acceptLanguage), offered);
            return matches.stream().findFirst()
                    .flatMap(m -> offered.stream().filter(t -> t.equalsIgnoreCase(m)).findFirst())
                    .orElse("fr");
        } catch (IllegalArgumentException malformed) {
            return "fr";
        }
    }

    @ApiResponse(responseCode = "200", description = "Free slots", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "422", description = "Unknown site or procedure, malformed dates", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @GetMapping("/slots")
    @Operation(summary = "Slots with free capacity for a procedure, earliest first",
            description = "from/to: an ISO date (local to the site's zone) or an instant; default the next 28 days.")
    public List<SlotView> slots(@RequestParam(required = false) String site, @RequestParam String procedure,
                                @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                @RequestParam(defaultValue = "200") int limit) {
        ApplicantInput input = new ApplicantInput();
        if (site != null && !site.isBlank() && catalogue.site(site).isEmpty()) input.error("site", "is not a known site");
        if (catalogue.procedure(procedure).isEmpty()) input.error("procedure", "is not a known procedure");
        Instant now = clock.instant();
        Instant start = from == null || from.isBlank() ? now : instant(from, false, "from", input);
        Instant end = to == null || to.isBlank() ? (start == null ? now : start).plus(Duration.ofDays(DEFAULT_DAYS))
                : instant(to, true, "to", input);
        if (start != null && !plausible(start)) input.error("from", "must be between 2000 and 2100");
        if (end != null && !plausible(end)) input.error("to", "must be between 2000 and 2100");
        if (start != null && end != null && end.isBefore(start)) input.error("to", "must not be before from");
        else if (start != null && end != null && Duration.between(start, end).toDays() > MAX_DAYS) {
            input.error("to", "must be at most " + MAX_DAYS + " days after from");
        }
        if (limit < 1 || limit > 1000) input.error("limit", "must be between 1 and 1000");
        input.throwIfAny();
        return bookings.findSlots(new SlotQuery(site == null || site.isBlank() ? null : site, procedure, start, end, limit))
                .stream().map(BookingApi::slotView).toList();
    }

    /** Dates a person or a prefecture can mean; also keeps every instant within what PostgreSQL stores. */
    static boolean plausible(Instant instant) {
        return instant.isAfter(Instant.parse("2000-01-01T00:00:00Z")) && instant.isBefore(Instant.parse("2100-01-01T00:00:00Z"));
    }

    static SlotView slotView(Slot s) {
        return new SlotView(s.id(), s.site(), s.start(), (int) s.duration().toMinutes(), s.free(), s.procedures().stream().sorted().toList());
    }

    /** A date (the start of that day, or of the next one for an end) or an instant with an offset. */
    private Instant instant(String text, boolean end, String field, ApplicantInput input) {
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return (end ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            input.error(field, "must be a date (2026-03-12) or a date and time with offset (2026-03-12T09:00:00+01:00)");
            return null;
        }
    }

    @ApiResponse(responseCode = "201", description = "Booked", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "409", description = "Slot full, or the person already holds an active appointment for this procedure", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "Invalid fields, unknown or past slot, procedure not accepted, key reused", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "400", description = "Malformed JSON or missing Idempotency-Key", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "413", description = "Body too large", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = "/appointments", consumes = "application/json")
    @Operation(summary = "Books a slot. The same Idempotency-Key always returns the same answer.",
            description = "201 booked; 409 slot full or the person already holds an active appointment for this procedure; "
                    + "422 invalid input, unknown or past slot, procedure not accepted, or key reused for another request.")
    public ResponseEntity<AppointmentView> book(
            @Parameter(description = "A unique key per booking attempt, reused on retries (e.g. a UUID)")
            @RequestHeader("Idempotency-Key") String idempotencyKey,
            @org.springframework.web.bind.annotation.RequestBody BookingBody body) {
        ApplicantInput input = new ApplicantInput();
        String key = idempotencyKey(idempotencyKey, input);
        if (body.slotId() == null) input.error("slotId", "is required");
        if (body.procedure() == null || body.procedure().isBlank()) input.error("procedure", "is required");
        else if (catalogue.procedure(body.procedure()).isEmpty()) input.error("procedure", "is not a known procedure");
        Applicant applicant = input.applicant(body.applicant(), "applicant", locales, today());
        input.throwIfAny();
        BookingOutcome outcome = bookings.book(new BookingCommand(key, body.slotId(), body.procedure(), applicant,
                BookingChannel.WEB, null, false));
        Appointment booked = booked(outcome);
        return ResponseEntity.created(URI.create("/api/v1/appointments/" + booked.reference().value()))
                .body(AppointmentView.of(booked));
    }

    /** Web keys live apart from the other channels' keys, so a client can never collide with an SMS retry. */
    private static String idempotencyKey(String raw, ApplicantInput input) {
        String key = raw == null ? "" : raw.strip();
        if (key.isEmpty() || key.length() > 200 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            input.error("Idempotency-Key", "must be 1 to 200 visible ASCII characters, e.g. a UUID");
            return null;
        }
        return "web:" + key;
    }

    private static Appointment booked(BookingOutcome outcome) {
        return switch (outcome) {
            case BookingOutcome.Booked b -> b.appointment();
            case BookingOutcome.SlotFull f -> throw new ApiProblem(HttpStatus.CONFLICT, "slot-full", "This slot is full. Choose another slot.");
            case BookingOutcome.AlreadyBooked a -> throw new ApiProblem(HttpStatus.CONFLICT, "already-booked",
                    "This person already has an active appointment for this procedure. Cancel or move it instead.");
            case BookingOutcome.SlotNotFound f -> throw ApiProblem.invalid("slotId", "is not a known slot");
            case BookingOutcome.SlotInPast p -> throw ApiProblem.invalid("slotId", "is in the past");
            case BookingOutcome.ProcedureNotAccepted p -> throw ApiProblem.invalid("slotId", "does not accept this procedure");
            case BookingOutcome.UnknownProcedure u -> throw ApiProblem.invalid("procedure", "is not a known procedure");
            case BookingOutcome.KeyReused r -> throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
                    "This Idempotency-Key was used for a different request. Use a new key for a new request.");
            case BookingOutcome.AppointmentNotFound nf -> throw notFound();
            case BookingOutcome.BackendUnavailable u -> throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "backend-unavailable",
                    "The booking system does not answer. Please try again later.");
        };
    }

    private static ApiProblem notFound() {
        return ApiProblem.notFound("No appointment with this reference and phone number.").about("/api/v1/appointments");
    }

    @ApiResponse(responseCode = "200", description = "The appointment", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No appointment with this reference and phone number (same answer whether it exists or not)", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "Malformed phone number", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @GetMapping("/appointments/{reference}")
    @Operation(summary = "An appointment, only with the phone number it was booked with (404 otherwise)")
    public AppointmentView appointment(@PathVariable String reference, @RequestParam String phone) {
        Access access = access(reference, phone);
        return bookings.find(access.reference(), access.phone()).map(AppointmentView::of).orElseThrow(BookingApi::notFound);
    }

    @ApiResponse(responseCode = "200", description = "Cancelled", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No appointment with this reference and phone number", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "Already cancelled, moved, attended or past", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @DeleteMapping("/appointments/{reference}")
    @Operation(summary = "Cancels an appointment, only with the phone number it was booked with (404 otherwise)")
    public AppointmentView cancel(@PathVariable String reference, @RequestParam String phone) {
        Access access = access(reference, phone);
        return switch (bookings.cancel(access.reference(), access.phone())) {
            case CancelOutcome.Cancelled c -> AppointmentView.of(c.appointment());
            case CancelOutcome.NotFound nf -> throw notFound();
            case CancelOutcome.NotActive n -> throw new ApiProblem(HttpStatus.CONFLICT, "not-active",
                    "This appointment can no longer be cancelled (" + n.status().name().toLowerCase(Locale.ROOT) + " or past).");
            case CancelOutcome.BackendUnavailable u -> throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "backend-unavailable",
                    "The booking system does not answer. Please try again later.");
        };
    }

    @ApiResponse(responseCode = "200", description = "Moved: the new appointment", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No active appointment with this reference and phone number", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The new slot is full", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "Invalid fields, unknown or past slot", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = "/appointments/{reference}/move", consumes = "application/json")
    @Operation(summary = "Moves an appointment to another slot; the old place is freed only if the new one is taken",
            description = "The moved appointment gets a new reference; the old one is marked MOVED.")
    public AppointmentView move(@PathVariable String reference, @RequestParam String phone,
                                @RequestHeader("Idempotency-Key") String idempotencyKey,
                                @org.springframework.web.bind.annotation.RequestBody MoveBody body) {
        Access access = access(reference, phone);
        ApplicantInput input = new ApplicantInput();
        String key = idempotencyKey(idempotencyKey, input);
        if (body.slotId() == null) input.error("slotId", "is required");
        input.throwIfAny();
        return AppointmentView.of(booked(bookings.move(access.reference(), access.phone(), body.slotId(), key)));
    }

    private record Access(Reference reference, PhoneNumber phone) {}

    /**
     * A malformed phone number is said to be malformed (that reveals nothing); a reference that cannot exist gets the
     * same 404 as one that does not.
     */
    private static Access access(String reference, String phone) {
        ApplicantInput input = new ApplicantInput();
        PhoneNumber number = input.phone(phone, "phone");
        input.throwIfAny();
        Reference parsed = Reference.parse(reference).orElseThrow(BookingApi::notFound);
        return new Access(parsed, number);
    }

    @ApiResponse(responseCode = "202", description = "Recorded in the queue", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "422", description = "Invalid fields, unknown procedure or site, key reused", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = "/requests", consumes = "application/json")
    @Operation(summary = "Records a demand to be convoked (the queue) and answers 202 with its reference",
            description = "An Idempotency-Key is recommended; without one, the same demand sent again is recognised by its content.")
    public ResponseEntity<RequestView> request(
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @org.springframework.web.bind.annotation.RequestBody QueueBody body) {
        ApplicantInput input = new ApplicantInput();
        String key = idempotencyKey == null ? null : idempotencyKey(idempotencyKey, input);
        if (body.procedure() == null || body.procedure().isBlank()) input.error("procedure", "is required");
        else if (catalogue.procedure(body.procedure()).isEmpty()) input.error("procedure", "is not a known procedure");
        String site = body.site() == null || body.site().isBlank() ? null : body.site();
        if (site != null && catalogue.site(site).isEmpty()) input.error("site", "is not a known site");
        LocalDate today = today();
        if (body.documentExpiry() != null && (body.documentExpiry().isBefore(today.minusYears(20))
                || body.documentExpiry().isAfter(today.plusYears(20)))) {
            input.error("documentExpiry", "is not a plausible expiry date");
        }
        Applicant applicant = input.applicant(body.applicant(), "applicant", locales, today);
        input.throwIfAny();
        if (key == null) {
            key = "web-content:" + digest(body.procedure(), site, applicant.name(), applicant.birthDate(),
                    applicant.phone().e164(), applicant.language(), body.documentExpiry());
        }
        try {
            QueuedRequest queued = requests.submit(new NewRequest(key, body.procedure(), site, applicant,
                    body.documentExpiry(), BookingChannel.WEB, null));
            return ResponseEntity.accepted().body(new RequestView(queued.reference().value(), queued.receivedAt(),
                    queued.status(), queued.procedure(), queued.sitePreference()));
        } catch (IllegalArgumentException e) {
            // The catalogue changed between the check above and the insert (a procedure or site removed).
            throw ApiProblem.invalid("procedure", "is not a known procedure or site");
        } catch (IdempotencyKeyReusedException e) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
                    "This Idempotency-Key was used for a different request. Use a new key for a new request.");
        }
    }

    private static String digest(Object... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Object part : parts) {
                sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0x1f);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(zone));
    }
}
