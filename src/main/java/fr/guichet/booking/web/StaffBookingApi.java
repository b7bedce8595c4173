package fr.guichet.booking.web;

import fr.guichet.booking.Appointment;
import fr.guichet.booking.AppointmentStatus;
import fr.guichet.booking.BookingBackend;
import fr.guichet.booking.Catalogue;
import fr.guichet.booking.FrenchPublicHolidays;
import fr.guichet.booking.OpeningHours;
import fr.guichet.booking.Procedure;
import fr.guichet.booking.Reference;
import fr.guichet.booking.StaffDesk;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What prefecture staff do through the API: open slots (one, or an opening-hours template over a date range),
 * see a day's appointments at a site, mark people attended or absent. Guarded by the staff token filter (fr.guichet.staff).
 */
@RestController
@RequestMapping(path = "/api/v1/admin", produces = "application/json")
@Tag(name = "Staff", description = "Needs Authorization: Bearer APP_ADMIN_TOKEN")
@SecurityRequirement(name = "staffToken")
public class StaffBookingApi {
    /**
     * One slot ({@code start}) or a template ({@code from}, {@code to}: every opening period of the site on those
     * days, back to back, skipping public holidays and closed days). {@code procedures} defaults to every counter
     * procedure.
     */
    public record SlotsBody(String site, Instant start, LocalDate from, LocalDate to, Integer durationMinutes,
                            Integer capacity, List<String> procedures) {}

    public record SlotsCreated(int created, int alreadyThere, BookingApi.SlotView slot) {}

    public record StaffAppointmentView(String reference, AppointmentStatus status, long slotId, Instant start,
                                       int durationMinutes, String procedure, String name, LocalDate birthDate,
                                       String phone, String language, String channel, String bookedBy) {
        static StaffAppointmentView of(Appointment a) {
            return new StaffAppointmentView(a.reference().value(), a.status(), a.slotId(), a.start(),
                    (int) a.duration().toMinutes(), a.procedure(), a.applicant().name(), a.applicant().birthDate(),
                    a.applicant().phone() == null ? null : a.applicant().phone().e164(), a.applicant().language(),
                    a.channel().name(), a.bookedBy());
        }
    }

    public record MarkView(String reference, AppointmentStatus status) {}

    static final int MAX_TEMPLATE_DAYS = 366;

    private final StaffDesk desk;
    private final Catalogue catalogue;
    private final Clock clock;
    private final boolean slotsInThisService;

    StaffBookingApi(StaffDesk desk, Catalogue catalogue, Clock clock,
                    @Value("${" + BookingBackend.PROPERTY + ":" + BookingBackend.EMBEDDED + "}") String backend) {
        this.desk = desk;
        this.catalogue = catalogue;
        this.clock = clock;
        this.slotsInThisService = BookingBackend.EMBEDDED.equals(backend);
    }

    @ApiResponse(responseCode = "201", description = "Created", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "409", description = "The single slot already exists, or slots are opened in the outside booking backend", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "Invalid fields, public holiday, closed date, past start", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "401", description = "No bearer token", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "403", description = "Wrong token, or staff API closed (no APP_ADMIN_TOKEN)", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = "/slots", consumes = "application/json")
    @Operation(summary = "Opens one slot, or slots from the site's opening hours over a date range",
            description = "201 with what was created; 409 when the single slot already exists; 422 on invalid input.")
    public ResponseEntity<SlotsCreated> openSlots(@RequestBody SlotsBody body) {
        if (!slotsInThisService) {
            // Slots written here would be offered to nobody: every channel books in the outside backend's inventory.
            throw new ApiProblem(HttpStatus.CONFLICT, "slots-in-backend",
                    "Slots are opened in the booking backend (RDV Service Public), not here: this service books in its inventory.");
        }
        ApplicantInput input = new ApplicantInput();
        OpeningHours hours = null;
        if (body.site() == null || body.site().isBlank()) input.error("site", "is required");
        else hours = catalogue.openingHours(body.site()).orElse(null);
        if (body.site() != null && !body.site().isBlank() && hours == null) input.error("site", "is not a known site");
        int minutes = body.durationMinutes() == null ? 30 : body.durationMinutes();
        if (minutes < 5 || minutes > 480) input.error("durationMinutes", "must be between 5 and 480");
        if (body.capacity() == null) input.error("capacity", "is required");
        else if (body.capacity() < 1 || body.capacity() > 1000) input.error("capacity", "must be between 1 and 1000");
        List<String> procedures = body.procedures() == null || body.procedures().isEmpty()
                ? catalogue.procedures().stream().filter(p -> !p.anef()).map(Procedure::code).toList()
                : body.procedures();
        for (String code : procedures) {
            if (code == null || catalogue.procedure(code).isEmpty()) input.error("procedures", "contains an unknown procedure");
        }
        boolean single = body.start() != null;
        boolean template = body.from() != null || body.to() != null;
        if (single == template) input.error("start", "give either start (one slot) or from and to (opening-hours template)");
        input.throwIfAny();
        if (single) {
            ZoneId zone = hours.zone();
            LocalDate day = body.start().atZone(zone).toLocalDate();
            if (!body.start().isAfter(clock.instant())) input.error("start", "is in the past");
            else if (body.start().isAfter(clock.instant().plus(Duration.ofDays(3 * 366)))) input.error("start", "is more than three years ahead");
            else if (FrenchPublicHolidays.isHoliday(day)) input.error("start", "is on a French public holiday");
            else if (hours.closedDates().contains(day)) input.error("start", "is on a day the site is closed");
            input.throwIfAny();
            return desk.openSlot(body.site(), body.start(), Duration.ofMinutes(minutes), body.capacity(), procedures)
                    .map(slot -> ResponseEntity.status(HttpStatus.CREATED).body(new SlotsCreated(1, 0, BookingApi.slotView(slot))))
                    .orElseThrow(() -> new ApiProblem(HttpStatus.CONFLICT, "slot-exists",
                            "A slot at this site and time for these procedures already exists."));
        }
        LocalDate today = LocalDate.now(clock.withZone(hours.zone()));
        if (body.from() == null) input.error("from", "is required with to");
        if (body.to() == null) input.error("to", "is required with from");
        input.throwIfAny();
        LocalDate from = body.from().isAfter(today) ? body.from() : today.plusDays(1);
        if (from.isAfter(today.plusYears(3))) input.error("from", "is more than three years ahead");
        else if (body.to().isBefore(from)) input.error("to", "must be after from and after today");
        else if (from.plusDays(MAX_TEMPLATE_DAYS).isBefore(body.to())) input.error("to", "must be at most " + MAX_TEMPLATE_DAYS + " days after from");
        input.throwIfAny();
        StaffDesk.TemplateResult result = desk.openSlotsFromOpeningHours(body.site(), from, body.to(),
                Duration.ofMinutes(minutes), body.capacity(), procedures);
        return ResponseEntity.status(HttpStatus.CREATED).body(new SlotsCreated(result.created(), result.alreadyThere(), null));
    }

    @ApiResponse(responseCode = "200", description = "The day's appointments", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "422", description = "Unknown site", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "401", description = "No bearer token", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "403", description = "Wrong token, or staff API closed", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @GetMapping("/appointments")
    @Operation(summary = "Every appointment at a site on a local day, whatever its status, in time order")
    public List<StaffAppointmentView> appointments(@RequestParam String site, @RequestParam LocalDate date) {
        if (catalogue.site(site).isEmpty()) throw ApiProblem.invalid("site", "is not a known site");
        if (date.getYear() < 2000 || date.getYear() >= 2100) throw ApiProblem.invalid("date", "must be between 2000 and 2100");
        return desk.appointmentsOn(site, date).stream().map(StaffAppointmentView::of).toList();
    }

    @ApiResponse(responseCode = "200", description = "Marked", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "Unknown reference", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "Cancelled or moved", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping("/appointments/{reference}/attended")
    @Operation(summary = "Marks the person as received")
    public MarkView attended(@PathVariable String reference) {
        return mark(reference, AppointmentStatus.ATTENDED);
    }

    @ApiResponse(responseCode = "200", description = "Marked", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "Unknown reference", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "Cancelled, moved, or not started yet", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping("/appointments/{reference}/no-show")
    @Operation(summary = "Marks the person as absent (only once the appointment has started)")
    public MarkView noShow(@PathVariable String reference) {
        return mark(reference, AppointmentStatus.NO_SHOW);
    }

    private MarkView mark(String text, AppointmentStatus status) {
        Reference reference = Reference.parse(text).orElseThrow(() -> ApiProblem.notFound("No appointment with this reference."));
        return switch (desk.mark(reference, status)) {
            case MARKED -> new MarkView(reference.value(), status);
            case NOT_FOUND -> throw ApiProblem.notFound("No appointment with this reference.");
            case NOT_ACTIVE -> throw new ApiProblem(HttpStatus.CONFLICT, "not-active", "This appointment was cancelled or moved.");
            case NOT_YET_STARTED -> throw new ApiProblem(HttpStatus.CONFLICT, "not-started",
                    "This appointment has not started yet: nobody can be absent from it.");
        };
    }
}
