package fr.guichet.queue;

import fr.guichet.booking.Reference;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The queue's staff endpoints (behind the staff token filter, like every {@code /api/v1/admin} path): requests at
 * risk of missing their convocation deadline, récépissés issued at an attended appointment, the decision that ends
 * their follow-up, and an allocation asked for at once.
 */
@RestController
@RequestMapping(path = "/api/v1/admin", produces = "application/json")
@Tag(name = "Staff: queue", description = "Needs Authorization: Bearer APP_ADMIN_TOKEN")
@SecurityRequirement(name = "staffToken")
class QueueStaffApi {
    public record AtRiskView(String reference, String kind, String status, String procedure, String site, String name,
                             LocalDate birthDate, String phone, String language, LocalDate documentExpiry, Instant queuedAt,
                             Instant convokeBy, int position, int freePlaces, int servedRecently, Instant expectedBy, String reason) {}

    public record RecepisseBody(LocalDate expires) {}

    public record RecepisseView(long file, String appointment, LocalDate expires, String followUp, Instant queueFrom, Instant convokeBy) {}

    public record DecisionBody(String outcome) {}

    public record DecisionView(long file, Instant decidedAt, String outcome, List<String> withdrawn) {}

    public record AllocationView(String status) {}

    static final Set<String> OUTCOMES = Set.of("granted", "refused", "other");
    private static final String PROBLEM = "application/problem+json";

    private final AtRisk atRisk;
    private final Recepisses recepisses;
    private final AllocationTrigger trigger;
    private final Clock clock;
    private final ZoneId zone;

    QueueStaffApi(AtRisk atRisk, Recepisses recepisses, AllocationTrigger trigger, Clock clock,
                  @Value("${app.time-zone:Europe/Paris}") ZoneId zone) {
        this.atRisk = atRisk;
        this.recepisses = recepisses;
        this.trigger = trigger;
        this.clock = clock;
        this.zone = zone;
    }

    @ApiResponse(responseCode = "200", description = "Requests at risk, earliest deadline first", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "No bearer token", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "403", description = "Wrong token, or staff API closed", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @GetMapping("/requests/at-risk")
    @Operation(summary = "Requests whose convocation deadline the capacity cannot meet",
            description = "Renewals (convocation due two months before the permit expires) and récépissé follow-ups still waiting: "
                    + "reason DEADLINE_PASSED, DEADLINE_NEAR (within app.queue.at-risk-notice), CAPACITY (expected after the deadline "
                    + "at the recent pace of service) or NO_CAPACITY_DATA (no free place and nobody served recently).")
    public List<AtRiskView> atRisk() {
        return atRisk.list().stream().map(r -> {
            QueueEntry e = r.entry();
            return new AtRiskView(e.reference().value(), e.kind().name(), e.status(), e.procedure(), e.site(), e.applicant().name(),
                    e.applicant().birthDate(), e.applicant().phone() == null ? null : e.applicant().phone().e164(), e.applicant().language(),
                    e.documentExpiry(), e.arrival(), e.convokeBy(), r.basis().position(), r.basis().freePlaces(), r.basis().servedInWindow(),
                    r.expectedBy(), r.reason().name());
        }).toList();
    }

    @ApiResponse(responseCode = "201", description = "Recorded; the follow-up request is queued", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "200", description = "Already recorded with this expiry, or the expiry corrected", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No appointment with this reference", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "not-attended, decided (the file is closed), no-phone, or follow-up-convoked (a correction "
            + "after the follow-up was convoked)", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "expires missing, past, or more than a year ahead", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "401", description = "No bearer token", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "403", description = "Wrong token, or staff API closed", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = "/appointments/{reference}/recepisse", consumes = "application/json")
    @Operation(summary = "Records a récépissé issued at an attended appointment",
            description = "The person is convoked again before it expires (the follow-up enters the queue twice app.queue.recepisse-margin "
                    + "before the expiry, its convocation is due by the margin before it), and again after each récépissé recorded on a "
                    + "follow-up, until a decision is recorded.")
    public ResponseEntity<RecepisseView> recepisse(@PathVariable String reference, @RequestBody RecepisseBody body) {
        Reference ref = Reference.parse(reference).orElseThrow(() -> StaffProblem.notFound("No appointment with this reference."));
        LocalDate today = LocalDate.now(clock.withZone(zone));
        if (body == null || body.expires() == null) throw StaffProblem.invalid("expires", "is required");
        if (!body.expires().isAfter(today)) throw StaffProblem.invalid("expires", "must be after today");
        if (body.expires().isAfter(today.plusYears(1))) throw StaffProblem.invalid("expires", "must be within a year");
        return switch (recepisses.record(ref, body.expires())) {
            case Recepisses.Recorded.Done d -> ResponseEntity.status(d.created() ? HttpStatus.CREATED : HttpStatus.OK)
                    .body(new RecepisseView(d.file(), d.appointment().value(), d.expires(), d.followUp().value(), d.queueFrom(), d.convokeBy()));
            case Recepisses.Recorded.NotFound n -> throw StaffProblem.notFound("No appointment with this reference.");
            case Recepisses.Recorded.NotAttended n -> throw StaffProblem.conflict("not-attended",
                    "A récépissé is recorded on an attended appointment; this one is " + n.status().name().toLowerCase(Locale.ROOT) + ".");
            case Recepisses.Recorded.Decided d -> throw StaffProblem.conflict("decided", "A decision closed this file: no more follow-up.");
            case Recepisses.Recorded.NoPhone n -> throw StaffProblem.conflict("no-phone",
                    "This person has no phone number to be convoked by text: convoke them by post.");
            case Recepisses.Recorded.FollowUpConvoked f -> throw StaffProblem.conflict("follow-up-convoked",
                    "The follow-up was already convoked: cancel or move that appointment instead.");
        };
    }

    @ApiResponse(responseCode = "200", description = "The file is closed", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No récépissé recorded for this appointment's file", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "already-decided", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "outcome not one of granted, refused, other", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "401", description = "No bearer token", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "403", description = "Wrong token, or staff API closed", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = "/appointments/{reference}/decision")
    @Operation(summary = "Records the decision on a file under récépissé: the follow-up convocations stop",
            description = "Any appointment of the file (where a récépissé was issued, or a follow-up). Optional body {outcome: granted | "
                    + "refused | other}. The follow-up still waiting is withdrawn; one already convoked is kept (cancel it if it is not needed).")
    public DecisionView decision(@PathVariable String reference, @RequestBody(required = false) DecisionBody body) {
        Reference ref = Reference.parse(reference).orElseThrow(() -> StaffProblem.notFound("No récépissé file for this appointment."));
        String outcome = body == null || body.outcome() == null ? null : body.outcome().strip().toLowerCase(Locale.ROOT);
        if (outcome != null && !OUTCOMES.contains(outcome)) throw StaffProblem.invalid("outcome", "must be granted, refused or other");
        return switch (recepisses.decide(ref, outcome)) {
            case Recepisses.Decision.Done d -> new DecisionView(d.file(), d.decidedAt(), d.outcome(),
                    d.withdrawn().stream().map(Reference::value).toList());
            case Recepisses.Decision.NoFile n -> throw StaffProblem.notFound("No récépissé file for this appointment.");
            case Recepisses.Decision.AlreadyDecided a -> throw StaffProblem.conflict("already-decided", "A decision was already recorded on this file.");
        };
    }

    @ApiResponse(responseCode = "202", description = "An allocation will run in a moment", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "No bearer token", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "403", description = "Wrong token, or staff API closed", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping("/queue/allocate")
    @Operation(summary = "Runs the allocation now (for instance after slots were added by SQL)")
    public ResponseEntity<AllocationView> allocate() {
        trigger.afterCommit();
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new AllocationView("scheduled"));
    }
}
