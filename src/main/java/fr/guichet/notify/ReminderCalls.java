package fr.guichet.notify;

import static fr.guichet.notify.ReminderScheduler.utc;

import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import fr.guichet.booking.BookingPort;
import fr.guichet.booking.CancelOutcome;
import fr.guichet.booking.Catalogue;
import fr.guichet.booking.Reference;
import fr.guichet.booking.Site;
import fr.guichet.phone.PhoneNumber;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reminder calls to numbers that cannot receive texts (fixed lines): placed through the Twilio SDK with the
 * {@code TwilioRestClient} bean ({@code TWILIO_API_BASE_URL}), answered with TwiML by the voice channel
 * ({@code /twilio/voice/reminder-call…}), which calls back here for what to say and what the keys mean.
 *
 * <p>Not answered, busy or failed: another attempt after {@code app.reminder.call.retry-after}, moved out of quiet
 * hours, up to {@code app.reminder.call.attempts} in all, and never when it would ring less than
 * {@code app.reminder.min-lead} before the appointment. Each attempt is a row claimed with
 * {@code FOR UPDATE SKIP LOCKED} and marked PLACING in a committed transaction before the REST request (the outbox's
 * pattern): a process that dies in between leaves a PLACING row that counts as a failed attempt once its lease runs
 * out, so a crash costs at most one extra call and never a lost reminder. With no Twilio credentials nothing is
 * placed: the attempt is recorded NOT_PLACED_NO_CREDENTIALS and logged with the number masked.
 */
@Component
public class ReminderCalls {
    private static final Logger log = LoggerFactory.getLogger(ReminderCalls.class);

    /**
     * What the call says: the appointment in the person's language; {@code active} false once cancelled, moved or past;
     * {@code kind}: what the call is for.
     */
    public record Script(long callId, String language, Reference reference, Instant start, String siteName, String address,
                         boolean active, Kind kind) {}

    /**
     * A reminder of an appointment the person knows of; a convocation to one they do not know of yet; the notice that
     * someone else cancelled it ({@link NoticeCalls}).
     */
    public enum Kind { REMINDER, CONVOCATION, CANCELLATION }

    /** The {@code offset_iso} of the reminder rows that are notices ({@link NoticeCalls}). */
    static final String CONVOCATION = "CONVOCATION";
    static final String CANCELLATION = "CANCELLATION";

    /** A call is still worth placing: a reminder or a convocation of a booked appointment, or the notice of its cancellation. */
    static boolean stillDue(String offsetIso, String appointmentStatus) {
        return CANCELLATION.equals(offsetIso) ? "CANCELLED".equals(appointmentStatus) : "BOOKED".equals(appointmentStatus);
    }

    private static Kind kind(String offsetIso) {
        return switch (offsetIso) {
            case CONVOCATION -> Kind.CONVOCATION;
            case CANCELLATION -> Kind.CANCELLATION;
            default -> Kind.REMINDER;
        };
    }

    /** What came of a key pressed during the call. */
    public enum KeyOutcome { CONFIRMED, CANCELLED, INACTIVE, UNAVAILABLE }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final QuietHours quiet;
    private final ReminderSettings settings;
    private final TwilioAccount account;
    private final TwilioRestClient client;
    private final ObjectProvider<BookingPort> bookings;
    private final Catalogue catalogue;
    private final TransactionTemplate transaction;

    ReminderCalls(JdbcClient jdbc, Clock clock, QuietHours quiet, ReminderSettings settings, TwilioAccount account,
            TwilioRestClient client, ObjectProvider<BookingPort> bookings, Catalogue catalogue, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.quiet = quiet;
        this.settings = settings;
        this.account = account;
        this.client = client;
        this.bookings = bookings;
        this.catalogue = catalogue;
        this.transaction = new TransactionTemplate(transactions);
    }

    // ---- for the voice channel -----------------------------------------------------------------------------------

    private record CallRow(long id, String status, String callSid, long reminderId, String reference, String language,
                           OffsetDateTime startAt, String site, String appointmentStatus, String phone, String offsetIso) {
        Script script(Instant now, Catalogue catalogue) {
            Instant start = startAt.toInstant();
            Optional<Site> found = catalogue.site(site);
            return new Script(id, language, new Reference(reference), start, found.map(Site::name).orElse(site),
                    found.map(Site::address).orElse(""), "BOOKED".equals(appointmentStatus) && start.isAfter(now),
                    kind(offsetIso));
        }
    }

    private Optional<CallRow> find(long callId, String callSid) {
        Optional<CallRow> row = jdbc.sql("""
                SELECT c.id, c.status, c.call_sid, r.id AS reminder_id, r.reference, r.language, a.start_at, a.site,
                       a.status AS appointment_status, a.phone, r.offset_iso
                FROM reminder_calls c JOIN reminders r ON r.id = c.reminder_id JOIN reminder_appointments a ON a.reference = r.reference
                WHERE c.id = :id
                """).param("id", callId).query(CallRow.class).optional();
        // A request naming an attempt but another call is not Twilio's for that attempt: nothing is said or done.
        return row.filter(r -> r.callSid() == null || r.callSid().equals(callSid));
    }

    /**
     * The call was answered (Twilio asks for its TwiML): what to say, or empty for an attempt this service does not
     * know. {@code byMachine}: Twilio's answering-machine detection heard a voicemail (or a fax); the attempt becomes
     * {@code MACHINE}, the message is left, and the end of the call plans the next attempt, so that a person can still
     * answer and confirm.
     */
    public Optional<Script> answered(long callId, String callSid, boolean byMachine) {
        return transaction.execute(status -> {
            Optional<CallRow> row = find(callId, callSid);
            if (row.isEmpty()) return Optional.<Script>empty();
            Instant now = clock.instant();
            jdbc.sql("""
                    UPDATE reminder_calls SET call_sid = COALESCE(call_sid, :sid),
                           status = CASE WHEN status IN ('PLACING', 'PLACED', 'LOST') THEN :answered ELSE status END, updated_at = :now
                    WHERE id = :id
                    """).param("sid", callSid).param("answered", byMachine ? "MACHINE" : "ANSWERED").param("now", utc(now))
                    .param("id", callId).update();
            if (!byMachine) {
                jdbc.sql("UPDATE reminders SET status = 'CALLED', updated_at = :now WHERE id = :id AND status IN ('CALLING', 'CALL_UNCONFIRMED')")
                        .param("now", utc(now)).param("id", row.get().reminderId()).update();
            }
            return Optional.of(row.get().script(now, catalogue));
        });
    }

    /** What the call says, for a key pressed later in the same call; reads only. */
    public Optional<Script> script(long callId, String callSid) {
        Instant now = clock.instant();
        return find(callId, callSid).map(r -> r.script(now, catalogue));
    }

    /** Key 1: the person will come. Recorded on the appointment, where staff see it. */
    public KeyOutcome confirm(long callId, String callSid) {
        return transaction.execute(status -> {
            Optional<CallRow> row = find(callId, callSid);
            Instant now = clock.instant();
            if (row.isEmpty() || !"BOOKED".equals(row.get().appointmentStatus()) || !row.get().startAt().toInstant().isAfter(now)) {
                return KeyOutcome.INACTIVE;
            }
            confirmAppointment(jdbc, row.get().reference(), "CALL", now);
            keys(callId, row.get().reminderId(), "CONFIRMED", now);
            return KeyOutcome.CONFIRMED;
        });
    }

    /** Key 2, confirmed: the appointment is cancelled through the booking port (its place goes to the queue at once). */
    public KeyOutcome cancel(long callId, String callSid) {
        return transaction.execute(status -> {
            Optional<CallRow> row = find(callId, callSid);
            if (row.isEmpty() || row.get().phone() == null) return KeyOutcome.INACTIVE;
            BookingPort port = bookings.getIfAvailable();
            if (port == null) return KeyOutcome.UNAVAILABLE;
            CancelOutcome outcome = port.cancel(new Reference(row.get().reference()), new PhoneNumber(row.get().phone()));
            return switch (outcome) {
                case CancelOutcome.Cancelled c -> {
                    keys(callId, row.get().reminderId(), "CANCELLED", clock.instant());
                    yield KeyOutcome.CANCELLED;
                }
                case CancelOutcome.NotActive n -> KeyOutcome.INACTIVE;
                case CancelOutcome.NotFound n -> KeyOutcome.INACTIVE;
                case CancelOutcome.BackendUnavailable u -> KeyOutcome.UNAVAILABLE;
            };
        });
    }

    /** The person chose to keep the appointment after all (or pressed nothing useful). */
    public void kept(long callId, String callSid) {
        transaction.executeWithoutResult(status -> find(callId, callSid)
                .ifPresent(row -> keys(callId, row.reminderId(), "KEPT", clock.instant())));
    }

    private void keys(long callId, long reminderId, String keys, Instant now) {
        jdbc.sql("UPDATE reminder_calls SET keys = :keys, updated_at = :now WHERE id = :id")
                .param("keys", keys).param("now", utc(now)).param("id", callId).update();
        jdbc.sql("UPDATE reminders SET answered_at = COALESCE(answered_at, :now), updated_at = :now WHERE id = :id")
                .param("now", utc(now)).param("id", reminderId).update();
    }

    static void confirmAppointment(JdbcClient jdbc, String reference, String via, Instant now) {
        jdbc.sql("""
                UPDATE reminder_appointments SET confirmed_at = COALESCE(confirmed_at, :now), confirmed_via = COALESCE(confirmed_via, :via),
                       updated_at = :now
                WHERE reference = :r
                """).param("now", utc(now)).param("via", via).param("r", reference).update();
    }

    /**
     * Twilio's status callback for an attempt. A final status other than {@code completed} (busy, no-answer, failed,
     * canceled) plans the next attempt; Twilio's retries of the same callback change nothing the second time.
     */
    public void status(long callId, String callSid, String twilioStatus, Integer durationSeconds) {
        String outcome = switch (twilioStatus) {
            case "completed" -> "ANSWERED";
            case "busy" -> "BUSY";
            case "no-answer" -> "NO_ANSWER";
            case "failed" -> "FAILED";
            case "canceled" -> "CANCELED";
            default -> null; // queued, initiated, ringing, in-progress: not an outcome
        };
        if (outcome == null) return;
        transaction.executeWithoutResult(tx -> {
            Instant now = clock.instant();
            record Moved(long reminderId, int attempt, String status) {}
            // A voicemail's call ends "completed" too: it stays MACHINE, and is retried like no answer.
            Optional<Moved> moved = jdbc.sql("""
                    UPDATE reminder_calls SET status = CASE WHEN status = 'MACHINE' THEN 'VOICEMAIL' ELSE :outcome END,
                           call_sid = COALESCE(call_sid, :sid), duration_s = :duration, updated_at = :now
                    WHERE id = :id AND (call_sid IS NULL OR call_sid = :sid)
                      AND status IN ('PLACING', 'PLACED', 'LOST', 'UNCONFIRMED', 'ANSWERED', 'MACHINE')
                      AND NOT (status = 'ANSWERED' AND :outcome <> 'ANSWERED')
                    RETURNING reminder_id, attempt, status
                    """).param("outcome", outcome).param("sid", callSid).param("duration", durationSeconds).param("now", utc(now))
                    .param("id", callId).query(Moved.class).optional();
            if (moved.isEmpty()) return;
            if (moved.get().status().equals("ANSWERED")) {
                jdbc.sql("UPDATE reminders SET status = 'CALLED', updated_at = :now WHERE id = :id AND status IN ('CALLING', 'CALL_UNCONFIRMED')")
                        .param("now", utc(now)).param("id", moved.get().reminderId()).update();
            } else {
                nextAttempt(moved.get().reminderId(), moved.get().attempt(), now);
            }
        });
    }

    // ---- for the dispatcher --------------------------------------------------------------------------------------

    /** The reminder becomes a call: its first attempt is due now. Runs in the dispatcher's transaction. */
    void start(long reminderId, PhoneNumber phone, String language, Instant now) {
        jdbc.sql("""
                UPDATE reminders SET status = 'CALLING', channel = 'CALL', recipient = 'PERSON', to_number = :to, language = :language,
                       sent_at = :now, updated_at = :now
                WHERE id = :id
                """).param("to", phone.e164()).param("language", language).param("now", utc(now)).param("id", reminderId).update();
        jdbc.sql("""
                INSERT INTO reminder_calls (reminder_id, attempt, due_at, status, created_at, updated_at)
                VALUES (:id, 1, :now, 'PENDING', :now, :now) ON CONFLICT (reminder_id, attempt) DO NOTHING
                """).param("id", reminderId).param("now", utc(now)).update();
    }

    /** Plans attempt {@code attempt + 1}, or closes the reminder as not reached. In the caller's transaction. */
    private void nextAttempt(long reminderId, int attempt, Instant now) {
        record State(String status, OffsetDateTime startAt, String appointmentStatus, String offsetIso) {}
        Optional<State> state = jdbc.sql("""
                SELECT r.status, a.start_at, a.status AS appointment_status, r.offset_iso
                FROM reminders r JOIN reminder_appointments a ON a.reference = r.reference WHERE r.id = :id FOR UPDATE OF r
                """).param("id", reminderId).query(State.class).optional();
        if (state.isEmpty() || !state.get().status().equals("CALLING")) return;
        Instant due = quiet.nextAllowed(now.plus(settings.calls().retryAfter()));
        boolean tooLate = due.isAfter(state.get().startAt().toInstant().minus(settings.minLead()));
        if (attempt >= settings.calls().attempts() || tooLate || !stillDue(state.get().offsetIso(), state.get().appointmentStatus())) {
            jdbc.sql("UPDATE reminders SET status = 'UNREACHED', reason = :reason, updated_at = :now WHERE id = :id")
                    .param("reason", attempt >= settings.calls().attempts() ? "ATTEMPTS" : "TOO_LATE")
                    .param("now", utc(now)).param("id", reminderId).update();
            return;
        }
        jdbc.sql("""
                INSERT INTO reminder_calls (reminder_id, attempt, due_at, status, created_at, updated_at)
                VALUES (:id, :attempt, :due, 'PENDING', :now, :now) ON CONFLICT (reminder_id, attempt) DO NOTHING
                """).param("id", reminderId).param("attempt", attempt + 1).param("due", utc(due)).param("now", utc(now)).update();
    }

    private record Claimed(long id, long reminderId, int attempt, String toNumber) {}

    /** Places the attempts that are due, at most {@code app.reminder.call.per-second} a second. */
    int placeDue() {
        int limit = (int) Math.max(1, Math.floor(settings.calls().perSecond()));
        List<Claimed> claimed = transaction.execute(status -> claim(limit));
        if (claimed == null) return 0;
        for (Claimed c : claimed) place(c);
        return claimed.size();
    }

    private List<Claimed> claim(int limit) {
        Instant now = clock.instant();
        record Candidate(long id, long reminderId, int attempt, String toNumber, OffsetDateTime startAt, String appointmentStatus,
                         String offsetIso) {}
        List<Candidate> due = jdbc.sql("""
                SELECT c.id, c.reminder_id, c.attempt, r.to_number, a.start_at, a.status AS appointment_status, r.offset_iso
                FROM reminder_calls c JOIN reminders r ON r.id = c.reminder_id JOIN reminder_appointments a ON a.reference = r.reference
                WHERE c.status = 'PENDING' AND c.due_at <= :now
                ORDER BY c.due_at, c.id LIMIT :limit
                FOR UPDATE OF c SKIP LOCKED
                """).param("now", utc(now)).param("limit", limit).query(Candidate.class).list();
        List<Claimed> out = new java.util.ArrayList<>();
        for (Candidate c : due) {
            Instant start = c.startAt().toInstant();
            if (!stillDue(c.offsetIso(), c.appointmentStatus()) || !start.isAfter(now)) {
                callStatus(c.id(), "DROPPED", null, now);
                jdbc.sql("UPDATE reminders SET status = 'DROPPED', reason = 'TOO_LATE', updated_at = :now WHERE id = :id AND status = 'CALLING'")
                        .param("now", utc(now)).param("id", c.reminderId()).update();
                continue;
            }
            if (quiet.isQuiet(now)) {
                // Due while the service was stopped, or the night came: nobody is called in quiet time.
                Instant next = quiet.nextAllowed(now);
                if (next.isAfter(start.minus(settings.minLead()))) {
                    callStatus(c.id(), "DROPPED", null, now);
                    jdbc.sql("UPDATE reminders SET status = 'UNREACHED', reason = 'TOO_LATE', updated_at = :now WHERE id = :id")
                            .param("now", utc(now)).param("id", c.reminderId()).update();
                } else {
                    jdbc.sql("UPDATE reminder_calls SET due_at = :next, updated_at = :now WHERE id = :id")
                            .param("next", utc(next)).param("now", utc(now)).param("id", c.id()).update();
                }
                continue;
            }
            jdbc.sql("UPDATE reminder_calls SET status = 'PLACING', claimed_at = :now, updated_at = :now WHERE id = :id")
                    .param("now", utc(now)).param("id", c.id()).update();
            out.add(new Claimed(c.id(), c.reminderId(), c.attempt(), c.toNumber()));
        }
        return out;
    }

    private void place(Claimed c) {
        PhoneNumber to = new PhoneNumber(c.toNumber());
        if (!account.canSend()) {
            transaction.executeWithoutResult(status -> {
                Instant now = clock.instant();
                callStatus(c.id(), "NOT_PLACED_NO_CREDENTIALS", null, now);
                jdbc.sql("UPDATE reminders SET status = 'NOT_PLACED', reason = 'NO_CREDENTIALS', updated_at = :now WHERE id = :id")
                        .param("now", utc(now)).param("id", c.reminderId()).update();
            });
            log.info("No Twilio credentials: reminder call {} (attempt {}) to {} not placed", c.id(), c.attempt(), to.masked());
            return;
        }
        String base = settings.publicBaseUrl();
        try {
            Call call = Call.creator(new com.twilio.type.PhoneNumber(to.e164()), new com.twilio.type.PhoneNumber(account.phoneNumber()),
                            URI.create(base + "/twilio/voice/reminder-call?r=" + c.id()))
                    .setMethod(HttpMethod.POST)
                    .setStatusCallback(URI.create(base + "/twilio/voice/reminder-call/status?r=" + c.id()))
                    .setStatusCallbackMethod(HttpMethod.POST)
                    .setTimeout((int) Math.max(5, settings.calls().ringFor().toSeconds()))
                    // Twilio tells a person from a voicemail before asking for the TwiML (AnsweredBy).
                    .setMachineDetection("Enable")
                    .create(client);
            Instant now = clock.instant();
            jdbc.sql("""
                    UPDATE reminder_calls SET call_sid = COALESCE(call_sid, :sid),
                           status = CASE WHEN status = 'PLACING' THEN 'PLACED' ELSE status END, updated_at = :now
                    WHERE id = :id
                    """).param("sid", call.getSid()).param("now", utc(now)).param("id", c.id()).update();
        } catch (ApiException e) {
            Integer http = e.getStatusCode();
            boolean permanent = http != null && http >= 400 && http < 500 && http != 429;
            transaction.executeWithoutResult(status -> {
                Instant now = clock.instant();
                if (permanent) {
                    callStatus(c.id(), "REFUSED", e.getCode(), now);
                    jdbc.sql("UPDATE reminders SET status = 'UNREACHED', reason = 'REFUSED', updated_at = :now WHERE id = :id")
                            .param("now", utc(now)).param("id", c.reminderId()).update();
                } else {
                    callStatus(c.id(), "FAILED", e.getCode(), now);
                    nextAttempt(c.reminderId(), c.attempt(), now);
                }
            });
            log.warn("Reminder call {} to {} refused by Twilio ({}, code {})", c.id(), to.masked(), http, e.getCode());
        } catch (TwilioException e) {
            // No answer from Twilio: the call may or may not exist; counted as a failed attempt (one extra call at worst).
            transaction.executeWithoutResult(status -> {
                Instant now = clock.instant();
                callStatus(c.id(), "FAILED", null, now);
                nextAttempt(c.reminderId(), c.attempt(), now);
            });
            log.warn("Reminder call {} to {}: Twilio did not answer ({})", c.id(), to.masked(), e.getClass().getSimpleName());
        }
    }

    private void callStatus(long callId, String status, Integer code, Instant now) {
        jdbc.sql("UPDATE reminder_calls SET status = :status, error_code = :code, updated_at = :now WHERE id = :id")
                .param("status", status).param("code", code).param("now", utc(now)).param("id", callId).update();
    }

    /**
     * Attempts left PLACING by a process that died mid-request count as failed once their lease ran out; placed calls
     * whose final status never came are marked UNCONFIRMED for staff, and not called again.
     */
    void recoverStale() {
        transaction.executeWithoutResult(status -> {
            Instant now = clock.instant();
            record Stale(long id, long reminderId, int attempt) {}
            List<Stale> lost = jdbc.sql("""
                    UPDATE reminder_calls SET status = 'LOST', updated_at = :now
                    WHERE id IN (SELECT id FROM reminder_calls WHERE status = 'PLACING' AND claimed_at < :cutoff FOR UPDATE SKIP LOCKED)
                    RETURNING id, reminder_id, attempt
                    """).param("now", utc(now)).param("cutoff", utc(now.minus(settings.calls().claimTimeout())))
                    .query(Stale.class).list();
            for (Stale s : lost) nextAttempt(s.reminderId(), s.attempt(), now);
            if (!lost.isEmpty()) log.warn("Reminder calls: {} attempts found mid-placing (process stopped); counted as failed", lost.size());
            List<Long> unconfirmed = jdbc.sql("""
                    UPDATE reminder_calls SET status = 'UNCONFIRMED', updated_at = :now
                    WHERE id IN (SELECT id FROM reminder_calls WHERE status = 'PLACED' AND claimed_at < :cutoff FOR UPDATE SKIP LOCKED)
                    RETURNING reminder_id
                    """).param("now", utc(now)).param("cutoff", utc(now.minus(settings.calls().ringFor()).minus(java.time.Duration.ofHours(1))))
                    .query(Long.class).list();
            for (long reminderId : unconfirmed) {
                jdbc.sql("UPDATE reminders SET status = 'CALL_UNCONFIRMED', updated_at = :now WHERE id = :id AND status = 'CALLING'")
                        .param("now", utc(now)).param("id", reminderId).update();
            }
        });
    }
}
