package fr.guichet.booking.rdvsp;

import fr.guichet.booking.BookingBackend;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What staff need to see when bookings stop reaching the backend: its state (a refused key is theirs to fix) and
 * how many bookings wait. Behind the staff token filter like every {@code /api/v1/admin} path. No personal data.
 */
@RestController
@ConditionalOnProperty(name = BookingBackend.PROPERTY, havingValue = BookingBackend.RDV_SERVICE_PUBLIC)
@Tag(name = "Staff", description = "Needs Authorization: Bearer APP_ADMIN_TOKEN")
@SecurityRequirement(name = "staffToken")
class RdvspStaffController {
    /** The staff view of the backend. */
    record BackendView(String backend, String state, Instant since, Instant lastSuccess, String lastFailedCall,
                       String lastFailure, Instant rateLimitedUntil, int pendingBookings, int interruptedBookings,
                       int failedBookings) {}

    private final BackendStatus status;
    private final RdvspAttempts attempts;

    RdvspStaffController(BackendStatus status, RdvspAttempts attempts) {
        this.status = status;
        this.attempts = attempts;
    }

    @Operation(summary = "RDV Service Public: state of the backend and bookings waiting for it",
            description = "state: NOT_CALLED_YET, OK, AUTH_REFUSED (the API key or token is refused: fix APP_RDVSP_API_KEY), "
                    + "UNREACHABLE, RATE_LIMITED. pendingBookings are replayed when it answers; failedBookings were refused for good.")
    @GetMapping(path = "/api/v1/admin/backends/rdv-service-public", produces = "application/json")
    BackendView view() {
        BackendStatus.Snapshot s = status.snapshot();
        RdvspAttempts.Counts counts = attempts.counts();
        return new BackendView(BookingBackend.RDV_SERVICE_PUBLIC, s.state().name(), s.since(), s.lastSuccess(), s.lastFailedCall(),
                s.lastFailure(), s.rateLimitedUntil(), counts.pending(), counts.inFlight(), counts.failed());
    }
}
