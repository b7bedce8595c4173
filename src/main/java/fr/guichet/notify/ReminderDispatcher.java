package fr.guichet.notify;

import static fr.guichet.notify.ReminderScheduler.utc;

import fr.guichet.phone.PhoneNumber;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the reminders that are due: a text through the outbox, or a call for a number that cannot receive texts.
 *
 * <p>Why a table of our own claimed with {@code FOR UPDATE SKIP LOCKED} rather than one db-scheduler task per
 * reminder (docs/reminders.md): a reminder is dropped or replaced inside the booking's transaction by plain SQL on
 * its reference; replies look up "the last reminder sent to this number"; staff list them by day; and a burst of
 * 100,000 due at the same minute is handed over in batches of a few hundred per transaction. Several instances
 * share the work safely: a row is claimed by one transaction only, and handing a reminder to the outbox
 * ({@code reminder:<reference>:<offset>}, unique) happens in that same transaction, so a crash either leaves the
 * reminder due (nothing was handed over) or handed over (the outbox then sends it once).
 *
 * <p>Reminders are handed to the outbox at its own sending rate (a few seconds ahead), so a burst of reminders never
 * keeps a reply or a convocation waiting behind it for minutes.
 */
@Component
class ReminderDispatcher implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ReminderDispatcher.class);
    /** How far ahead of the outbox reminders are handed over, in seconds of sending. */
    private static final double OUTBOX_LEAD_SECONDS = 3;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final QuietHours quiet;
    private final ReminderSettings settings;
    private final ReminderScheduler scheduler;
    private final ReminderTexts texts;
    private final PostgresOutbox outbox;
    private final SmsNumbers numbers;
    private final ReminderCalls calls;
    private final ObjectProvider<ReminderContacts> contacts;
    private final JdbcTemplate batches;
    private final TransactionTemplate transaction;
    private final TransactionTemplate savepoint;
    private volatile ScheduledExecutorService reminderTicker;
    private volatile ScheduledExecutorService callTicker;

    ReminderDispatcher(JdbcClient jdbc, Clock clock, QuietHours quiet, ReminderSettings settings, ReminderScheduler scheduler,
            ReminderTexts texts, PostgresOutbox outbox, SmsNumbers numbers, ReminderCalls calls, ObjectProvider<ReminderContacts> contacts,
            JdbcTemplate batches, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.quiet = quiet;
        this.settings = settings;
        this.scheduler = scheduler;
        this.texts = texts;
        this.outbox = outbox;
        this.numbers = numbers;
        this.calls = calls;
        this.contacts = contacts;
        this.batches = batches;
        this.transaction = new TransactionTemplate(transactions);
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    // ---- lifecycle -----------------------------------------------------------------------------------------------

    @Override
    public void start() {
        long every = Math.max(10, settings.dispatchInterval().toMillis());
        reminderTicker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("reminders").daemon().factory());
        reminderTicker.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        // Calls are REST requests that may take seconds: on their own thread, they never hold back the texts.
        callTicker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("reminder-calls").daemon().factory());
        callTicker.scheduleWithFixedDelay(this::callTick, every, Math.max(every, 1000), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        for (ScheduledExecutorService executor : new ScheduledExecutorService[] {reminderTicker, callTicker}) {
            if (executor == null) continue;
            executor.shutdown();
            try {
                if (!executor.awaitTermination(30, TimeUnit.SECONDS)) executor.shutdownNow();
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        reminderTicker = null;
        callTicker = null;
    }

    @Override
    public boolean isRunning() {
        return reminderTicker != null;
    }

    @Override
    public int getPhase() {
        // Stops before the outbox dispatcher (which stops before the web server and the data source).
        return Integer.MAX_VALUE - 1024;
    }

    private void tick() {
        try {
            if (!settings.enabled()) {
                skipDue(settings.sentByGuichet() ? "NO_OFFSET" : "BACKEND_SENDS");
                return;
            }
            planPending();
            dispatchDue();
        } catch (RuntimeException e) {
            // A database hiccup must not kill the ticker; the next tick tries again.
            log.error("Reminders: dispatch pass failed", e);
        }
    }

    private void callTick() {
        try {
            calls.recoverStale();
            calls.placeDue();
        } catch (RuntimeException e) {
            log.error("Reminders: call pass failed", e);
        }
    }

    // ---- planning left for later ---------------------------------------------------------------------------------

    /** Appointments back-filled by the migration, or whose planning failed in the booking transaction. */
    int planPending() {
        Integer planned = transaction.execute(status -> {
            record Pending(String reference, OffsetDateTime startAt) {}
            List<Pending> pending = jdbc.sql("""
                    SELECT reference, start_at FROM reminder_appointments WHERE schedule_pending AND status = 'BOOKED'
                    ORDER BY start_at LIMIT 200 FOR UPDATE SKIP LOCKED
                    """).query(Pending.class).list();
            for (Pending p : pending) scheduler.planStored(p.reference(), p.startAt().toInstant());
            return pending.size();
        });
        return planned == null ? 0 : planned;
    }

    // ---- due reminders -------------------------------------------------------------------------------------------

    record Due(long id, String reference, String offsetIso, String site, OffsetDateTime startAt, String phone, String language,
               String bookedBy, String initials, String appointmentStatus) {}

    /** Hands every due reminder over, batch by batch, as far as the outbox's pace allows. */
    int dispatchDue() {
        int handled = 0;
        int budget = budget();
        while (budget > 0) {
            int limit = Math.min(budget, settings.batchSize());
            int n;
            try {
                Integer done = transaction.execute(status -> {
                    Instant now = clock.instant();
                    List<Due> due = claim(limit, now);
                    apply(due, now);
                    return due.size();
                });
                n = done == null ? 0 : done;
            } catch (RuntimeException e) {
                // The batch rolled back: one by one, so that a reminder that cannot be handled never holds back the others.
                log.error("Reminders: a batch failed; handling its reminders one by one", e);
                n = oneByOne(limit);
            }
            handled += n;
            if (n < limit) break;
            budget -= n;
        }
        return handled;
    }

    /**
     * Due reminders, locked for this transaction. A place held for an offer (an open row in {@code queue_offers}) is
     * not the person's appointment until they accept it: its reminders wait, and go once it is accepted (at once if
     * their time has passed) or are dropped with the place when the offer lapses.
     */
    private List<Due> claim(int limit, Instant now) {
        return jdbc.sql("""
                SELECT r.id, r.reference, r.offset_iso, a.site, a.start_at, a.phone, a.language, a.booked_by, a.initials,
                       a.status AS appointment_status
                FROM reminders r JOIN reminder_appointments a ON a.reference = r.reference
                WHERE r.status = 'SCHEDULED' AND r.due_at <= :now
                  AND NOT EXISTS (SELECT 1 FROM queue_offers o WHERE o.appointment = r.reference AND o.status = 'OPEN')
                ORDER BY r.due_at, r.id LIMIT :limit
                FOR UPDATE OF r SKIP LOCKED
                """).param("now", utc(now)).param("limit", limit).query(Due.class).list();
    }

    private int oneByOne(int limit) {
        int n = 0;
        for (; n < limit; n++) {
            Boolean found = transaction.execute(status -> {
                Instant now = clock.instant();
                List<Due> one = claim(1, now);
                if (one.isEmpty()) return false;
                try {
                    savepoint.executeWithoutResult(s -> apply(one, now));
                } catch (RuntimeException e) {
                    log.error("Reminders: reminder {} could not be sent; marked SKIPPED (ERROR)", one.getFirst().id(), e);
                    finish(one.getFirst().id(), "SKIPPED", "ERROR", now);
                }
                return true;
            });
            if (!Boolean.TRUE.equals(found)) break;
        }
        return n;
    }

    /** Reminder texts the outbox may take now: its rate times a few seconds, less what it has not sent yet. */
    private int budget() {
        int lead = (int) Math.ceil(Math.max(1, settings.smsRatePerSecond()) * OUTBOX_LEAD_SECONDS);
        int waiting = jdbc.sql("""
                SELECT count(*) FROM sms_outbox
                WHERE status = 'PENDING' AND next_attempt_at <= :now AND purpose_key LIKE 'reminder:%'
                """).param("now", utc(clock.instant())).query(Integer.class).single();
        return Math.max(0, lead - waiting);
    }

    /** A reminder handed to the outbox: who got it, in which language. */
    private record Texted(long id, String recipient, String to, String language) {}

    /**
     * Decides each claimed reminder and writes the outcome in batched statements (100,000 reminders due at the same
     * minute must not cost seven round trips each). In the claiming transaction.
     */
    private void apply(List<Due> batch, Instant now) {
        if (batch.isEmpty()) return;
        Set<String> noTexts = numbers.textsDoNotReach(batch.stream().map(Due::phone).filter(Objects::nonNull).collect(Collectors.toSet()));
        List<OutboundText> outgoing = new ArrayList<>();
        List<Texted> texted = new ArrayList<>();
        List<Object[]> finished = new ArrayList<>();
        List<Object[]> later = new ArrayList<>();
        for (Due d : batch) {
            Instant start = d.startAt().toInstant();
            if (!ReminderCalls.stillDue(d.offsetIso(), d.appointmentStatus())) {
                finished.add(new Object[] {"DROPPED", d.appointmentStatus(), utc(now), d.id()});
            } else if (!start.isAfter(now)) {
                finished.add(new Object[] {"SKIPPED", "TOO_LATE", utc(now), d.id()});
            } else if (quiet.isQuiet(now)) {
                // Due while the service was stopped, or reached now in quiet time: not at night, and not pointlessly late.
                Instant next = quiet.nextAllowed(now);
                if (next.isAfter(start.minus(settings.minLead()))) {
                    finished.add(new Object[] {"SKIPPED", "TOO_LATE", utc(now), d.id()});
                    log.info("Reminders: reminder {} due in quiet hours too close to its appointment; not sent", d.id());
                } else {
                    later.add(new Object[] {utc(next), utc(now), d.id()});
                }
            } else if (d.phone() == null) {
                ReminderContacts lookup = contacts.getIfAvailable();
                Optional<ReminderContacts.Contact> worker = d.bookedBy() == null || lookup == null ? Optional.empty() : lookup.worker(d.bookedBy());
                if (worker.isEmpty()) {
                    finished.add(new Object[] {"SKIPPED", "NO_RECIPIENT", utc(now), d.id()});
                    log.info("Reminders: reminder {} is for a person without a phone and no active worker to tell; not sent", d.id());
                } else {
                    String language = texts.offered(worker.get().language());
                    outgoing.add(text(d, worker.get().phone(), language, "reminder.worker.sms", start));
                    texted.add(new Texted(d.id(), "WORKER", worker.get().phone().e164(), language));
                }
            } else {
                PhoneNumber phone = new PhoneNumber(d.phone());
                String language = texts.offered(d.language());
                if (ReminderCalls.CANCELLATION.equals(d.offsetIso())) {
                    // Planned only for a number texts did not reach; a "no" to reminder calls was not a "no" to this.
                    calls.start(d.id(), phone, language, now);
                } else if (phone.canReceiveTexts() && !noTexts.contains(phone.e164())) {
                    outgoing.add(text(d, phone, language, "reminder.sms", start));
                    texted.add(new Texted(d.id(), "PERSON", phone.e164(), language));
                } else if (declinedCall(d.reference())) {
                    finished.add(new Object[] {"SKIPPED", "CALL_DECLINED", utc(now), d.id()});
                } else {
                    calls.start(d.id(), phone, language, now);
                }
            }
        }
        outbox.enqueueAll(outgoing);
        OffsetDateTime at = utc(now);
        if (!texted.isEmpty()) batches.batchUpdate("""
                UPDATE reminders SET status = 'TEXTED', channel = 'SMS', recipient = ?, to_number = ?, language = ?, sent_at = ?,
                       updated_at = ?
                WHERE id = ?""", texted, 500, (ps, t) -> {
                    ps.setString(1, t.recipient());
                    ps.setString(2, t.to());
                    ps.setString(3, t.language());
                    ps.setObject(4, at);
                    ps.setObject(5, at);
                    ps.setLong(6, t.id());
                });
        if (!finished.isEmpty()) batches.batchUpdate("UPDATE reminders SET status = ?, reason = ?, updated_at = ? WHERE id = ?", finished);
        if (!later.isEmpty()) batches.batchUpdate("UPDATE reminders SET due_at = ?, updated_at = ? WHERE id = ?", later);
    }

    private OutboundText text(Due d, PhoneNumber to, String language, String key, Instant start) {
        Map<String, Object> args = texts.args(d.reference(), start, d.site(), d.initials());
        return new OutboundText(to, purpose(d.reference(), d.offsetIso()), texts.text(language, key, args), language, null);
    }

    static String purpose(String reference, String offsetIso) {
        return "reminder:" + reference + ":" + offsetIso;
    }

    /**
     * Whether the caller said no to a reminder call when booking by phone (asked on fixed lines at the end of the
     * booking; table of the voice channel, which records the answer and does nothing else with it).
     */
    private boolean declinedCall(String reference) {
        return jdbc.sql("SELECT NOT wants_call FROM voice_reminder_preference WHERE reference = :r")
                .param("r", reference).query(Boolean.class).optional().orElse(false);
    }

    private void finish(long id, String status, String reason, Instant now) {
        jdbc.sql("UPDATE reminders SET status = :status, reason = :reason, updated_at = :now WHERE id = :id")
                .param("status", status).param("reason", reason).param("now", utc(now)).param("id", id).update();
    }

    /** With reminders off (the backend texts people itself), due reminders are closed rather than sent later. */
    private void skipDue(String reason) {
        jdbc.sql("""
                UPDATE reminders SET status = 'SKIPPED', reason = :reason, updated_at = :now
                WHERE status = 'SCHEDULED' AND due_at <= :now
                """).param("reason", reason).param("now", utc(clock.instant())).update();
    }
}
