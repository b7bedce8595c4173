package fr.guichet.booking;

import static fr.guichet.booking.AppointmentRows.utc;

import fr.guichet.phone.PhoneNumber;
import java.sql.Array;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The embedded booking backend. The guarantees rest on SQL, not on Java locks, so they hold across threads and
 * across instances: capacity is one conditional {@code UPDATE … WHERE booked < capacity}; one active appointment per
 * person and procedure is a partial unique index; idempotency is a row claimed in the booking's own transaction.
 * The port unless an outside backend is chosen ({@code app.booking.backend}, see {@link BookingBackend}).
 */
@Component
@ConditionalOnProperty(name = BookingBackend.PROPERTY, havingValue = BookingBackend.EMBEDDED, matchIfMissing = true)
class PostgresBookingPort implements BookingPort {
    private static final int LOCK_RETRIES = 3;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Catalogue catalogue;
    private final ReferenceRegistry references;
    private final ApplicationEventPublisher events;

    PostgresBookingPort(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, Catalogue catalogue,
                        ReferenceRegistry references, ApplicationEventPublisher events) {
        this.events = events;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.catalogue = catalogue;
        this.references = references;
    }

    private record TakenSlot(String site, Instant start, Duration duration) {}

    @Override
    public List<Slot> findSlots(SlotQuery query) {
        Instant now = clock.instant();
        Instant from = query.from().isAfter(now) ? query.from() : now;
        String sql = """
                SELECT id, site, start_at, duration_minutes, capacity, booked, procedures FROM slots
                WHERE booked < capacity AND start_at > :from AND start_at < :to AND :procedure = ANY (procedures)
                """ + (query.site() == null ? "" : " AND site = :site ") + " ORDER BY start_at, id LIMIT :limit";
        JdbcClient.StatementSpec statement = jdbc.sql(sql)
                .param("from", utc(from))
                .param("to", utc(query.to()))
                .param("procedure", query.procedure())
                .param("limit", query.limit());
        if (query.site() != null) statement = statement.param("site", query.site());
        return statement.query((rs, n) -> slot(rs)).list();
    }

    static Slot slot(java.sql.ResultSet rs) throws java.sql.SQLException {
        int capacity = rs.getInt("capacity");
        Array procedures = rs.getArray("procedures");
        return new Slot(rs.getLong("id"), rs.getString("site"), rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                Duration.ofMinutes(rs.getInt("duration_minutes")), capacity, capacity - rs.getInt("booked"),
                Set.copyOf(Arrays.asList((String[]) procedures.getArray())));
    }

    @Override
    public BookingOutcome book(BookingCommand command) {
        Applicant applicant = command.applicant();
        String fingerprint = Fingerprint.of("BOOK", command.slotId(), command.procedure(), applicant.name(),
                applicant.birthDate(), applicant.phone() == null ? null : applicant.phone().e164(), applicant.language(),
                command.channel(), command.bookedBy(), command.overrideDuplicate());
        return inTransaction(() -> {
            Instant now = clock.instant();
            if (applicant.phone() != null && catalogue.procedure(command.procedure()).isPresent()) {
                return bookWithPhone(command, fingerprint, now);
            }
            Optional<BookingOutcome> earlier = claim(command.idempotencyKey(), "BOOK", fingerprint, now);
            if (earlier.isPresent()) return earlier.get();
            BookingOutcome outcome = attemptBooking(command, now);
            remember(command.idempotencyKey(), outcome);
            if (outcome instanceof BookingOutcome.Booked b) events.publishEvent(new AppointmentBooked(b.appointment()));
            return outcome;
        });
    }

    /**
     * The usual booking (a person with a phone, a known procedure) in two round trips instead of five, with the same
     * guarantees as {@link #attemptBooking}: the idempotency key is claimed and the place taken in one statement (the
     * place only if the key was claimed), then the reference is registered, the appointment inserted and the outcome
     * recorded in another. Each round trip wakes both processes on shared cores (BENCHMARKS.md gives the gain).
     */
    private BookingOutcome bookWithPhone(BookingCommand command, String fingerprint, Instant now) {
        String key = command.idempotencyKey();
        record Claim(boolean claimed, String site, OffsetDateTime start, Integer durationMinutes) {}
        Claim claim = jdbc.sql("""
                        WITH claim AS (
                            INSERT INTO idempotency_records (idempotency_key, operation, fingerprint, created_at)
                            VALUES (?, 'BOOK', ?, ?) ON CONFLICT DO NOTHING RETURNING idempotency_key),
                        taken AS (
                            UPDATE slots SET booked = booked + 1
                            WHERE id = ? AND booked < capacity AND start_at > ? AND ? = ANY (procedures)
                              AND EXISTS (SELECT 1 FROM claim)
                            RETURNING site, start_at, duration_minutes)
                        SELECT EXISTS (SELECT 1 FROM claim) AS claimed, taken.site, taken.start_at AS start,
                               taken.duration_minutes
                        FROM (SELECT 1) AS one LEFT JOIN taken ON TRUE""")
                .params(key, fingerprint, utc(now), command.slotId(), utc(now), command.procedure())
                .query(Claim.class)
                .single();
        if (!claim.claimed()) return earlier(key, "BOOK", fingerprint);
        if (claim.site() == null) {
            BookingOutcome outcome = whyNotTaken(command.slotId(), command.procedure(), now);
            remember(key, outcome);
            return outcome;
        }
        Applicant applicant = command.applicant();
        for (int draw = 1; ; draw++) {
            Reference reference = references.draw();
            record Inserted(boolean registered, boolean booked) {}
            Inserted inserted = jdbc.sql("""
                            WITH registered AS (
                                INSERT INTO booking_references (reference, kind) VALUES (?, 'APPOINTMENT')
                                ON CONFLICT DO NOTHING RETURNING reference),
                            booked AS (
                                INSERT INTO appointments (reference, status, slot_id, procedure, applicant_name, birth_date, phone,
                                                          language, channel, booked_by, idempotency_key, override_duplicate,
                                                          created_at, updated_at)
                                SELECT reference, 'BOOKED', ?::bigint, ?, ?, ?::date, ?, ?, ?, ?, ?, ?::boolean, ?::timestamptz,
                                       ?::timestamptz
                                FROM registered
                                ON CONFLICT (phone, birth_date, procedure)
                                  WHERE status = 'BOOKED' AND NOT override_duplicate AND phone IS NOT NULL
                                DO NOTHING RETURNING reference),
                            remembered AS (
                                UPDATE idempotency_records SET outcome = 'BOOKED', reference = booked.reference, slot_id = ?::bigint
                                FROM booked WHERE idempotency_key = ? RETURNING 1)
                            SELECT EXISTS (SELECT 1 FROM registered) AS registered, EXISTS (SELECT 1 FROM booked) AS booked""")
                    .params(reference.value(), command.slotId(), command.procedure(), applicant.name(), applicant.birthDate(),
                            applicant.phone().e164(), applicant.language(), command.channel().name(), command.bookedBy(), key,
                            command.overrideDuplicate(), utc(now), utc(now), command.slotId(), key)
                    .query(Inserted.class)
                    .single();
            if (!inserted.registered()) {
                // Drawn before (one chance in millions per reference issued): draw again.
                if (draw >= ReferenceRegistry.ATTEMPTS) throw new IllegalStateException("No free reference after " + draw + " draws");
                continue;
            }
            if (!inserted.booked()) {
                // The person already holds an active appointment for this procedure: give the place and the reference back.
                freePlace(command.slotId());
                references.release(reference);
                BookingOutcome outcome = new BookingOutcome.AlreadyBooked(activeReference(applicant, command.procedure()));
                remember(key, outcome);
                return outcome;
            }
            Appointment appointment = new Appointment(reference, AppointmentStatus.BOOKED, command.slotId(), claim.site(),
                    claim.start().toInstant(), Duration.ofMinutes(claim.durationMinutes()), command.procedure(), applicant,
                    command.channel(), command.bookedBy(), now);
            events.publishEvent(new AppointmentBooked(appointment));
            return new BookingOutcome.Booked(appointment);
        }
    }

    /** The step-by-step booking: a person without a phone (booked by a social worker), or an unknown procedure. */
    private BookingOutcome attemptBooking(BookingCommand command, Instant now) {
        if (catalogue.procedure(command.procedure()).isEmpty()) {
            return new BookingOutcome.UnknownProcedure(command.procedure());
        }
        Optional<TakenSlot> taken = takePlace(command.slotId(), command.procedure(), now);
        if (taken.isEmpty()) return whyNotTaken(command.slotId(), command.procedure(), now);
        Applicant applicant = command.applicant();
        if (applicant.phone() == null && !command.overrideDuplicate()) {
            Optional<Reference> existing = activeWithoutPhone(applicant, command.procedure());
            if (existing.isPresent()) {
                freePlace(command.slotId());
                return new BookingOutcome.AlreadyBooked(existing.get());
            }
        }
        Reference reference = references.register(ReferenceRegistry.Kind.APPOINTMENT);
        int inserted = insertAppointment(reference, command.slotId(), command.procedure(), applicant, command.channel(),
                command.bookedBy(), command.idempotencyKey(), command.overrideDuplicate(), now);
        // The one-active index holds only appointments with a phone, and those take bookWithPhone.
        if (inserted != 1) throw new IllegalStateException("an appointment without a phone met the one-active index");
        TakenSlot slot = taken.get();
        return new BookingOutcome.Booked(new Appointment(reference, AppointmentStatus.BOOKED, command.slotId(),
                slot.site(), slot.start(), slot.duration(), command.procedure(), applicant, command.channel(),
                command.bookedBy(), now));
    }

    /** One place of the slot is given back: a cancellation, a move, or a booking that could not keep the place. */
    private void freePlace(long slotId) {
        jdbc.sql("UPDATE slots SET booked = booked - 1 WHERE id = ?").param(slotId).update();
    }

    /** The person's active appointment for the procedure, which the one-active rule kept a new one from joining. */
    private Reference activeReference(Applicant applicant, String procedure) {
        return jdbc.sql("""
                        SELECT reference FROM appointments
                        WHERE phone = ? AND birth_date = ? AND procedure = ? AND status = 'BOOKED' AND NOT override_duplicate""")
                .params(applicant.phone().e164(), applicant.birthDate(), procedure)
                .query((rs, n) -> new Reference(rs.getString(1)))
                .single();
    }

    /** The capacity guarantee: one place is taken only if one is left, under the slot row's lock. */
    private Optional<TakenSlot> takePlace(long slotId, String procedure, Instant now) {
        return jdbc.sql("""
                        UPDATE slots SET booked = booked + 1
                        WHERE id = ? AND booked < capacity AND start_at > ? AND ? = ANY (procedures)
                        RETURNING site, start_at, duration_minutes""")
                .params(slotId, utc(now), procedure)
                .query((rs, n) -> new TakenSlot(rs.getString("site"), rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                        Duration.ofMinutes(rs.getInt("duration_minutes"))))
                .optional();
    }

    private BookingOutcome whyNotTaken(long slotId, String procedure, Instant now) {
        record SlotState(Instant start, int capacity, int booked, List<String> procedures) {}
        Optional<SlotState> state = jdbc.sql("SELECT start_at, capacity, booked, procedures FROM slots WHERE id = ?")
                .param(slotId)
                .query((rs, n) -> new SlotState(rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                        rs.getInt("capacity"), rs.getInt("booked"),
                        Arrays.asList((String[]) rs.getArray("procedures").getArray())))
                .optional();
        if (state.isEmpty()) return new BookingOutcome.SlotNotFound(slotId);
        if (!state.get().start().isAfter(now)) return new BookingOutcome.SlotInPast(slotId);
        if (!state.get().procedures().contains(procedure)) return new BookingOutcome.ProcedureNotAccepted(slotId, procedure);
        return new BookingOutcome.SlotFull(slotId);
    }

    /**
     * The anti-duplicate rule for a person with no phone (a social worker books for them): the unique index needs a
     * phone, so the same person is name (without case or spacing) + birth date. A transaction-scoped advisory lock on
     * that identity makes two concurrent bookings for the same person run one after the other.
     */
    private Optional<Reference> activeWithoutPhone(Applicant applicant, String procedure) {
        String identity = applicant.name().strip().replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(?, 6))")
                .param("no-phone:" + identity + ":" + applicant.birthDate() + ":" + procedure)
                .query((rs, n) -> 1).single();
        return jdbc.sql("""
                        SELECT reference FROM appointments
                        WHERE phone IS NULL AND birth_date = ? AND procedure = ? AND status = 'BOOKED' AND NOT override_duplicate
                          AND lower(regexp_replace(btrim(applicant_name), '\\s+', ' ', 'g')) = ?
                        LIMIT 1""")
                .params(applicant.birthDate(), procedure, identity)
                .query((rs, n) -> new Reference(rs.getString(1)))
                .optional();
    }

    /** Inserts a booked appointment; 0 when the person already holds an active one for the procedure. */
    private int insertAppointment(Reference reference, long slotId, String procedure, Applicant applicant,
                                  BookingChannel channel, String bookedBy, String idempotencyKey, boolean override,
                                  Instant now) {
        return jdbc.sql("""
                        INSERT INTO appointments (reference, status, slot_id, procedure, applicant_name, birth_date, phone,
                                                  language, channel, booked_by, idempotency_key, override_duplicate,
                                                  created_at, updated_at)
                        VALUES (?, 'BOOKED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (phone, birth_date, procedure)
                          WHERE status = 'BOOKED' AND NOT override_duplicate AND phone IS NOT NULL
                        DO NOTHING""")
                .params(reference.value(), slotId, procedure, applicant.name(), applicant.birthDate(),
                        applicant.phone() == null ? null : applicant.phone().e164(), applicant.language(),
                        channel.name(), bookedBy, idempotencyKey, override, utc(now), utc(now))
                .update();
    }

    /**
     * Claims the idempotency key in this transaction. A concurrent attempt with the same key waits on the primary key
     * until the first commits, then finds its outcome here.
     */
    private Optional<BookingOutcome> claim(String key, String operation, String fingerprint, Instant now) {
        int claimed = jdbc.sql("""
                        INSERT INTO idempotency_records (idempotency_key, operation, fingerprint, created_at)
                        VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(key, operation, fingerprint, utc(now))
                .update();
        if (claimed == 1) return Optional.empty();
        return Optional.of(earlier(key, operation, fingerprint));
    }

    /** What the first request with this key got; a key sent again for another request is refused. */
    private BookingOutcome earlier(String key, String operation, String fingerprint) {
        record Earlier(String operation, String fingerprint, String outcome, String reference, Long slotId, String procedure) {}
        Earlier earlier = jdbc.sql("""
                        SELECT operation, fingerprint, outcome, reference, slot_id, procedure
                        FROM idempotency_records WHERE idempotency_key = ?""")
                .param(key)
                .query((rs, n) -> new Earlier(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        (Long) rs.getObject(5), rs.getString(6)))
                .single();
        if (!earlier.operation().equals(operation) || !earlier.fingerprint().equals(fingerprint) || earlier.outcome() == null) {
            return new BookingOutcome.KeyReused(key);
        }
        return switch (earlier.outcome()) {
            case "BOOKED" -> findByReference(new Reference(earlier.reference()))
                    .<BookingOutcome>map(BookingOutcome.Booked::new)
                    .orElseGet(BookingOutcome.AppointmentNotFound::new);
            case "SLOT_FULL" -> new BookingOutcome.SlotFull(earlier.slotId());
            case "SLOT_NOT_FOUND" -> new BookingOutcome.SlotNotFound(earlier.slotId());
            case "SLOT_IN_PAST" -> new BookingOutcome.SlotInPast(earlier.slotId());
            case "PROCEDURE_NOT_ACCEPTED" -> new BookingOutcome.ProcedureNotAccepted(earlier.slotId(), earlier.procedure());
            case "UNKNOWN_PROCEDURE" -> new BookingOutcome.UnknownProcedure(earlier.procedure());
            case "ALREADY_BOOKED" -> new BookingOutcome.AlreadyBooked(new Reference(earlier.reference()));
            case "APPOINTMENT_NOT_FOUND" -> new BookingOutcome.AppointmentNotFound();
            default -> throw new IllegalStateException("Unknown stored outcome " + earlier.outcome());
        };
    }

    private void remember(String key, BookingOutcome outcome) {
        record Stored(String outcome, String reference, Long slotId, String procedure) {}
        Stored stored = switch (outcome) {
            case BookingOutcome.Booked b -> new Stored("BOOKED", b.appointment().reference().value(), b.appointment().slotId(), null);
            case BookingOutcome.SlotFull f -> new Stored("SLOT_FULL", null, f.slotId(), null);
            case BookingOutcome.SlotNotFound f -> new Stored("SLOT_NOT_FOUND", null, f.slotId(), null);
            case BookingOutcome.SlotInPast p -> new Stored("SLOT_IN_PAST", null, p.slotId(), null);
            case BookingOutcome.ProcedureNotAccepted p -> new Stored("PROCEDURE_NOT_ACCEPTED", null, p.slotId(), p.procedure());
            case BookingOutcome.UnknownProcedure u -> new Stored("UNKNOWN_PROCEDURE", null, null, u.procedure());
            case BookingOutcome.AlreadyBooked a -> new Stored("ALREADY_BOOKED", a.existing().value(), null, null);
            case BookingOutcome.AppointmentNotFound nf -> new Stored("APPOINTMENT_NOT_FOUND", null, null, null);
            case BookingOutcome.KeyReused r -> throw new IllegalStateException("a reused key is never recorded");
            case BookingOutcome.BackendUnavailable u -> throw new IllegalStateException("the embedded backend is always available");
        };
        jdbc.sql("UPDATE idempotency_records SET outcome = ?, reference = ?, slot_id = ?, procedure = ? WHERE idempotency_key = ?")
                .params(stored.outcome(), stored.reference(), stored.slotId(), stored.procedure(), key)
                .update();
    }

    @Override
    public CancelOutcome cancel(Reference reference, PhoneNumber phone) {
        return cancelWhere(reference, "a.phone = ?", phone.e164(), () -> find(reference, phone));
    }

    @Override
    public CancelOutcome cancelBookedBy(Reference reference, String bookedBy) {
        return cancelWhere(reference, "a.booked_by = ?", bookedBy,
                () -> findByReference(reference).filter(a -> bookedBy.equals(a.bookedBy())));
    }

    /** {@code owner} is the SQL condition that ties the appointment to who asks (phone or booker). */
    private CancelOutcome cancelWhere(Reference reference, String owner, String ownerValue, Supplier<Optional<Appointment>> ownAppointment) {
        return inTransaction(() -> {
            Instant now = clock.instant();
            Optional<Appointment> cancelled = jdbc.sql("""
                            UPDATE appointments a SET status = 'CANCELLED', updated_at = ?
                            FROM slots s
                            WHERE s.id = a.slot_id AND a.reference = ? AND\s""" + owner + """
                             AND a.status = 'BOOKED' AND s.start_at > ?
                            RETURNING\s""" + AppointmentRows.COLUMNS) // \s: a text block drops a trailing space
                    .params(utc(now), reference.value(), ownerValue, utc(now))
                    .query(AppointmentRows::map)
                    .optional();
            if (cancelled.isPresent()) {
                freePlace(cancelled.get().slotId());
                events.publishEvent(new AppointmentCancelled(cancelled.get()));
                return new CancelOutcome.Cancelled(cancelled.get());
            }
            return ownAppointment.get()
                    .<CancelOutcome>map(a -> new CancelOutcome.NotActive(a.status()))
                    .orElseGet(CancelOutcome.NotFound::new);
        });
    }

    @Override
    public BookingOutcome move(Reference reference, PhoneNumber phone, long newSlotId, String idempotencyKey) {
        return moveWhere(reference, "a.phone = ?", phone.e164(), newSlotId, idempotencyKey);
    }

    @Override
    public BookingOutcome moveBookedBy(Reference reference, String bookedBy, long newSlotId, String idempotencyKey) {
        return moveWhere(reference, "a.booked_by = ?", bookedBy, newSlotId, idempotencyKey);
    }

    private BookingOutcome moveWhere(Reference reference, String owner, String ownerValue, long newSlotId, String idempotencyKey) {
        String fingerprint = Fingerprint.of("MOVE", reference.value(), ownerValue, newSlotId);
        return inTransaction(() -> {
            Instant now = clock.instant();
            Optional<BookingOutcome> earlier = claim(idempotencyKey, "MOVE", fingerprint, now);
            if (earlier.isPresent()) return earlier.get();
            BookingOutcome outcome = attemptMove(reference, owner, ownerValue, newSlotId, idempotencyKey, now);
            remember(idempotencyKey, outcome);
            return outcome;
        });
    }

    private BookingOutcome attemptMove(Reference reference, String owner, String ownerValue, long newSlotId, String key, Instant now) {
        record Current(long id, long slotId, Instant start, boolean override) {}
        Optional<Current> current = jdbc.sql("""
                        SELECT a.id, a.slot_id, s.start_at, a.override_duplicate
                        FROM appointments a JOIN slots s ON s.id = a.slot_id
                        WHERE a.reference = ? AND """ + " " + owner + " " + """
                         AND a.status = 'BOOKED'
                        FOR UPDATE OF a""")
                .params(reference.value(), ownerValue)
                .query((rs, n) -> new Current(rs.getLong(1), rs.getLong(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getBoolean(4)))
                .optional();
        if (current.isEmpty() || !current.get().start().isAfter(now)) return new BookingOutcome.AppointmentNotFound();
        Appointment old = findByReference(reference).orElseThrow();
        if (current.get().slotId() == newSlotId) return new BookingOutcome.Booked(old);
        // Both slot rows are locked in id order, so two opposite moves cannot deadlock.
        jdbc.sql("SELECT id FROM slots WHERE id IN (?, ?) ORDER BY id FOR UPDATE")
                .params(current.get().slotId(), newSlotId)
                .query(Long.class)
                .list();
        Optional<TakenSlot> taken = takePlace(newSlotId, old.procedure(), now);
        if (taken.isEmpty()) return whyNotTaken(newSlotId, old.procedure(), now);
        freePlace(current.get().slotId());
        Reference newReference = references.register(ReferenceRegistry.Kind.APPOINTMENT);
        jdbc.sql("UPDATE appointments SET status = 'MOVED', moved_to = ?, updated_at = ? WHERE id = ?")
                .params(newReference.value(), utc(now), current.get().id())
                .update();
        int inserted = insertAppointment(newReference, newSlotId, old.procedure(), old.applicant(), old.channel(),
                old.bookedBy(), key, current.get().override(), now);
        if (inserted != 1) throw new IllegalStateException("the moved appointment's place was taken in the same transaction");
        TakenSlot slot = taken.get();
        Appointment moved = new Appointment(newReference, AppointmentStatus.BOOKED, newSlotId, slot.site(),
                slot.start(), slot.duration(), old.procedure(), old.applicant(), old.channel(), old.bookedBy(), now);
        events.publishEvent(new AppointmentMoved(old, moved));
        return new BookingOutcome.Booked(moved);
    }

    @Override
    public Optional<Appointment> find(Reference reference, PhoneNumber phone) {
        return jdbc.sql("SELECT " + AppointmentRows.COLUMNS + AppointmentRows.FROM + " WHERE a.reference = ? AND a.phone = ?")
                .params(reference.value(), phone.e164())
                .query(AppointmentRows::map)
                .optional();
    }

    Optional<Appointment> findByReference(Reference reference) {
        return jdbc.sql("SELECT " + AppointmentRows.COLUMNS + AppointmentRows.FROM + " WHERE a.reference = ?")
                .param(reference.value())
                .query(AppointmentRows::map)
                .optional();
    }

    @Override
    public List<Appointment> upcoming(PhoneNumber phone) {
        return jdbc.sql("SELECT " + AppointmentRows.COLUMNS + AppointmentRows.FROM + """
                         WHERE a.phone = ? AND a.status = 'BOOKED'
                           AND s.start_at + make_interval(mins => s.duration_minutes) > ?
                         ORDER BY s.start_at, a.id""")
                .params(phone.e164(), utc(clock.instant()))
                .query(AppointmentRows::map)
                .list();
    }

    @Override
    public List<Appointment> upcomingBookedBy(String bookedBy) {
        return jdbc.sql("SELECT " + AppointmentRows.COLUMNS + AppointmentRows.FROM + """
                         WHERE a.booked_by = ? AND a.status = 'BOOKED' AND s.start_at > ?
                         ORDER BY s.start_at, a.id""")
                .params(bookedBy, utc(clock.instant()))
                .query(AppointmentRows::map)
                .list();
    }

    /** Runs in one transaction; a deadlock or lock timeout chosen by PostgreSQL is retried, never shown to the person. */
    private <T> T inTransaction(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(status -> work.get());
            } catch (PessimisticLockingFailureException e) {
                if (attempt >= LOCK_RETRIES) throw e;
            }
        }
    }
}
