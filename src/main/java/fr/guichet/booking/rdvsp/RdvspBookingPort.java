package fr.guichet.booking.rdvsp;

import fr.guichet.booking.Applicant;
import fr.guichet.booking.Appointment;
import fr.guichet.booking.AppointmentBooked;
import fr.guichet.booking.AppointmentCancelled;
import fr.guichet.booking.AppointmentMoved;
import fr.guichet.booking.AppointmentStatus;
import fr.guichet.booking.BackendUnavailableException;
import fr.guichet.booking.BookedBy;
import fr.guichet.booking.BookingCommand;
import fr.guichet.booking.BookingOutcome;
import fr.guichet.booking.BookingPort;
import fr.guichet.booking.CancelOutcome;
import fr.guichet.booking.Catalogue;
import fr.guichet.booking.Procedure;
import fr.guichet.booking.Reference;
import fr.guichet.booking.ReferenceRegistry;
import fr.guichet.booking.Slot;
import fr.guichet.booking.SlotQuery;
import fr.guichet.booking.TextsSentBy;
import fr.guichet.phone.PhoneNumber;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link BookingPort} over RDV Service Public. The backend owns the slots; Guichet keeps its own reference and a
 * local record of each appointment (find, upcoming, staff views, one active appointment per person and procedure).
 *
 * <p>The backend has no idempotency key, so Guichet's is kept here: each booking is an {@code rdvsp_attempts} row
 * committed before the first call, marked "posted" before the POST. A POST that got no answer (timeout, dropped
 * connection, 5xx) is looked up ({@code GET …/rdvs?date_debut=&date_fin=}, by start and user) before anything is
 * sent again, so a booking the backend made is found, never made twice. A backend that is down, refuses the key or
 * limits us leaves the booking PENDING: the caller hears {@link BookingOutcome.BackendUnavailable} (the flows queue
 * the request and say a text will follow) and {@link RdvspReplay} sends it when the backend answers.
 */
final class RdvspBookingPort implements BookingPort {
    private static final Logger log = LoggerFactory.getLogger(RdvspBookingPort.class);

    private final RdvspClient client;
    private final RdvspMapping mapping;
    private final RdvspSlots slots;
    private final RdvspAppointments appointments;
    private final RdvspAttempts attempts;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    /** Transactions of their own, on a pool of their own, for the attempt's trace ({@link RdvspJournal}). */
    private final TransactionTemplate separately;
    private final RdvspJournal journal;
    private final Clock clock;
    private final ZoneId zone;
    private final Catalogue catalogue;
    private final ReferenceRegistry references;
    private final ApplicationEventPublisher events;
    private final TextsSentBy sentBy;
    private final RdvspProperties properties;

    private final RdvspOrphans orphans;
    private final RdvspCallLimit callLimit;

    RdvspBookingPort(RdvspClient client, RdvspMapping mapping, RdvspSlots slots, RdvspAppointments appointments,
                     RdvspAttempts attempts, JdbcClient jdbc, TransactionTemplate transactions, RdvspJournal journal,
                     Clock clock, ZoneId zone, Catalogue catalogue, ReferenceRegistry references,
                     ApplicationEventPublisher events, TextsSentBy sentBy, RdvspProperties properties, RdvspOrphans orphans) {
        this.orphans = orphans;
        this.client = client;
        this.mapping = mapping;
        this.slots = slots;
        this.appointments = appointments;
        this.attempts = attempts;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.journal = journal;
        this.separately = journal.transactions();
        this.clock = clock;
        this.zone = zone;
        this.catalogue = catalogue;
        this.references = references;
        this.events = events;
        this.sentBy = sentBy;
        this.properties = properties;
        this.callLimit = new RdvspCallLimit(properties.maxConcurrentCalls());
    }

    // ---- slots -------------------------------------------------------------------------------------------------

    @Override
    public List<Slot> findSlots(SlotQuery query) {
        try {
            return slots.find(query, clock.instant());
        } catch (RdvspException e) {
            throw new BackendUnavailableException("RDV Service Public: " + e.kind());
        }
    }

    /** The slot a booking names, or why it cannot be booked. */
    private record Chosen(RdvspMapping.Target target, Instant start, BookingOutcome refusal) {}

    private Chosen choose(long slotId, String procedure, Instant now) {
        if (catalogue.procedure(procedure).isEmpty()) return new Chosen(null, null, new BookingOutcome.UnknownProcedure(procedure));
        Optional<SlotIds.Decoded> decoded = SlotIds.decode(slotId);
        Optional<String> site = decoded.flatMap(d -> mapping.siteOfLieu(d.lieuId()));
        if (site.isEmpty()) return new Chosen(null, null, new BookingOutcome.SlotNotFound(slotId));
        Optional<RdvspMapping.Target> target = mapping.target(site.get(), procedure);
        if (target.isEmpty()) return new Chosen(null, null, new BookingOutcome.ProcedureNotAccepted(slotId, procedure));
        if (!decoded.get().start().isAfter(now)) return new Chosen(null, null, new BookingOutcome.SlotInPast(slotId));
        return new Chosen(target.get(), decoded.get().start(), null);
    }

    // ---- booking -----------------------------------------------------------------------------------------------

    @Override
    public BookingOutcome book(BookingCommand command) {
        Applicant p = command.applicant();
        String fingerprint = digest("BOOK", command.slotId(), command.procedure(), p.name(), p.birthDate(),
                p.phone() == null ? null : p.phone().e164(), p.language(), command.channel(), command.bookedBy(), command.overrideDuplicate());
        return callLimit.call(() -> bookWithPermit(command, fingerprint), () -> new BookingOutcome.BackendUnavailable("busy"));
    }

    private BookingOutcome bookWithPermit(BookingCommand command, String fingerprint) {
        Applicant p = command.applicant();
        return transactions.execute(status -> {
            Instant now = clock.instant();
            appointments.lockPerson(p, command.procedure());
            Optional<RdvspAttempts.Attempt> earlier = attempts.find(command.idempotencyKey());
            if (earlier.isPresent()) return again(earlier.get(), fingerprint, now);
            Chosen chosen = choose(command.slotId(), command.procedure(), now);
            if (chosen.refusal() != null) return chosen.refusal();
            RdvspAttempts.Attempt attempt = new RdvspAttempts.Attempt(command.idempotencyKey(), fingerprint, RdvspAttempts.State.IN_FLIGHT,
                    command.slotId(), chosen.target().site(), command.procedure(), chosen.start(), p, command.channel(),
                    command.bookedBy(), command.overrideDuplicate(), null, null, false, null, null, 0, now);
            if (!command.overrideDuplicate()) {
                Optional<Reference> active = appointments.active(p, command.procedure());
                if (active.isPresent()) {
                    // Remembered, as the embedded backend does: the same key keeps giving this answer.
                    attempts.claim(attempt, now);
                    attempts.done(attempt.key(), "ALREADY_BOOKED", active.get(), now);
                    return new BookingOutcome.AlreadyBooked(active.get());
                }
                // A booking of the same person kept while the backend was down may be held there already (a 500 can
                // hide a booking): a second one (the queue serving the request the conversation recorded meanwhile)
                // waits for the replay to settle it. Nothing is remembered, so the same key is tried again later.
                if (attempts.keptFor(p, command.procedure(), command.idempotencyKey())) {
                    return new BookingOutcome.BackendUnavailable("a booking of this person is waiting for the backend");
                }
            }
            if (!Boolean.TRUE.equals(separately.execute(s -> journal.attempts().claim(attempt, now)))) {
                return attempts.find(command.idempotencyKey()).map(a -> again(a, fingerprint, now))
                        .orElseGet(() -> new BookingOutcome.BackendUnavailable("in progress"));
            }
            return send(attempt, chosen.target(), now, false);
        });
    }

    /** The same key again: the first answer, or the attempt taken up where it stands. */
    private BookingOutcome again(RdvspAttempts.Attempt a, String fingerprint, Instant now) {
        if (!a.fingerprint().equals(fingerprint)) return new BookingOutcome.KeyReused(a.key());
        return switch (a.state()) {
            case DONE -> stored(a);
            case PENDING, FAILED -> new BookingOutcome.BackendUnavailable("recorded, waiting for the backend");
            case IN_FLIGHT -> a.updatedAt().isAfter(now.minus(properties.inFlightGrace()))
                    ? new BookingOutcome.BackendUnavailable("in progress")
                    : resume(a, now);
            case ABANDONED -> resume(a, now);
        };
    }

    private BookingOutcome resume(RdvspAttempts.Attempt a, Instant now) {
        Chosen chosen = choose(a.slotId(), a.procedure(), now);
        if (chosen.refusal() != null) {
            attempts.done(a.key(), outcomeName(chosen.refusal()), null, now);
            return chosen.refusal();
        }
        return send(a, chosen.target(), now, false);
    }

    private BookingOutcome stored(RdvspAttempts.Attempt a) {
        return switch (a.outcome()) {
            case "BOOKED" -> appointments.byReference(a.reference())
                    .<BookingOutcome>map(h -> new BookingOutcome.Booked(h.appointment()))
                    .orElseGet(BookingOutcome.AppointmentNotFound::new);
            case "ALREADY_BOOKED" -> new BookingOutcome.AlreadyBooked(a.reference());
            case "SLOT_IN_PAST" -> new BookingOutcome.SlotInPast(a.slotId());
            case "SLOT_NOT_FOUND" -> new BookingOutcome.SlotNotFound(a.slotId());
            case "PROCEDURE_NOT_ACCEPTED" -> new BookingOutcome.ProcedureNotAccepted(a.slotId(), a.procedure());
            case "UNKNOWN_PROCEDURE" -> new BookingOutcome.UnknownProcedure(a.procedure());
            case "APPOINTMENT_NOT_FOUND" -> new BookingOutcome.AppointmentNotFound();
            default -> new BookingOutcome.SlotFull(a.slotId());
        };
    }

    private static String outcomeName(BookingOutcome outcome) {
        return switch (outcome) {
            case BookingOutcome.SlotInPast x -> "SLOT_IN_PAST";
            case BookingOutcome.SlotNotFound x -> "SLOT_NOT_FOUND";
            case BookingOutcome.ProcedureNotAccepted x -> "PROCEDURE_NOT_ACCEPTED";
            case BookingOutcome.UnknownProcedure x -> "UNKNOWN_PROCEDURE";
            case BookingOutcome.AppointmentNotFound x -> "APPOINTMENT_NOT_FOUND";
            default -> "SLOT_FULL";
        };
    }

    /**
     * Sends the attempt to the backend (in the caller's transaction, which holds the person's lock): looks up first
     * if an earlier POST may have booked, creates the user once, posts, and on no answer looks up again before
     * giving up. Used by live bookings and by the replay; {@code lookOnly}: only settle whether an earlier POST
     * booked (an interrupted attempt or a move, which are never sent again by the replay).
     */
    BookingOutcome send(RdvspAttempts.Attempt a, RdvspMapping.Target target, Instant now, boolean lookOnly) {
        boolean mayExist = a.posted();
        Long userId = a.userId();
        try {
            if (mayExist) {
                Optional<RdvspClient.Rdv> found = lookUp(a, userId);
                if (found.isPresent()) return record(a, found.get(), userId, now);
                if (!lookOnly) separately.executeWithoutResult(s -> journal.attempts().posting(a.key(), false, now));
                mayExist = false;
            }
            if (lookOnly) {
                attempts.end(a.key(), RdvspAttempts.State.ABANDONED, "not found at the backend", now);
                return new BookingOutcome.BackendUnavailable("not booked");
            }
            if (userId == null) {
                long created = client.createUser(newUser(a, target));
                separately.executeWithoutResult(s -> journal.attempts().userCreated(a.key(), created, now));
                userId = created;
            }
            if (a.movesFrom() == null && !a.override()) {
                // A booking made another way since this one was queued (the replay case).
                Optional<Reference> active = appointments.active(a.applicant(), a.procedure());
                if (active.isPresent()) {
                    attempts.done(a.key(), "ALREADY_BOOKED", active.get(), now);
                    return new BookingOutcome.AlreadyBooked(active.get());
                }
            }
            separately.executeWithoutResult(s -> journal.attempts().posting(a.key(), true, now));
            mayExist = true;
            RdvspClient.Rdv rdv;
            try {
                rdv = client.book(target, a.start(), userId);
            } catch (RdvspException e) {
                if (e.kind() == RdvspException.Kind.SLOT_GONE) {
                    slots.forget(a.site());
                    attempts.done(a.key(), "SLOT_FULL", null, now);
                    return new BookingOutcome.SlotFull(a.slotId());
                }
                if (!e.mayHaveHappened()) {
                    mayExist = false;
                    throw e;
                }
                // No answer: the backend may have booked. Look before anything is sent again.
                Optional<RdvspClient.Rdv> found = lookUp(a, userId);
                if (found.isPresent()) {
                    log.info("A booking whose answer was lost ({}) was found at RDV Service Public: not booked again", e.kind());
                    return record(a, found.get(), userId, now);
                }
                mayExist = false;
                throw e;
            }
            return record(a, rdv, userId, now);
        } catch (RdvspException e) {
            return notNow(a, e, mayExist, now);
        }
    }

    /** The backend did not book now: kept for the replay, or given up when a retry cannot help. */
    private BookingOutcome notNow(RdvspAttempts.Attempt a, RdvspException e, boolean mayExist, Instant now) {
        if (!e.isTransient()) {
            log.error("RDV Service Public refused a booking for good ({}): not replayed; the request stays in Guichet's queue",
                    e.getMessage());
            attempts.end(a.key(), RdvspAttempts.State.FAILED, e.getMessage(), now);
            return new BookingOutcome.BackendUnavailable("refused by the backend");
        }
        Duration wait = backoff(a.attempts());
        if (e.retryAfter() != null && e.retryAfter().compareTo(wait) > 0) wait = e.retryAfter();
        attempts.pending(a.key(), mayExist, now.plus(wait), e.getMessage(), now);
        return new BookingOutcome.BackendUnavailable(e.kind().name());
    }

    private Duration backoff(int attemptsSoFar) {
        Duration wait = properties.replayInterval().multipliedBy(1L << Math.min(attemptsSoFar, 10));
        return wait.compareTo(properties.replayMaxDelay()) > 0 ? properties.replayMaxDelay() : wait;
    }

    /** The backend's rdv for this attempt: same start, same user, not cancelled. */
    private Optional<RdvspClient.Rdv> lookUp(RdvspAttempts.Attempt a, Long userId) {
        if (userId == null) return Optional.empty();
        LocalDate day = a.start().atZone(zone).toLocalDate();
        List<RdvspClient.Rdv> rdvs;
        try {
            rdvs = client.rdvsBetween(day, day);
        } catch (RdvspException e) {
            // Some versions answer an empty search with 404 ("Pas de rdv"): nothing booked that day.
            if (e.kind() != RdvspException.Kind.NOT_FOUND) throw e;
            rdvs = List.of();
        }
        return rdvs.stream()
                .filter(r -> r.start().equals(a.start()) && Objects.equals(r.userId(), userId))
                .filter(r -> !"excused".equals(r.status()) && !"revoked".equals(r.status()))
                .findFirst();
    }

    private RdvspClient.NewUser newUser(RdvspAttempts.Attempt a, RdvspMapping.Target target) {
        Applicant p = a.applicant();
        String[] names = names(p.name());
        Long responsible = BookedBy.byWorker(a.bookedBy()) ? responsible(a.bookedBy(), target) : null;
        return new RdvspClient.NewUser(target.organisationId(), names[0], names[1], p.phone() == null ? null : p.phone().e164(),
                !sentBy.guichetSendsAppointmentTexts(), p.birthDate(), responsible);
    }

    /**
     * Guichet asks for "last name and first name" in one answer: the first word is taken as the last name, the rest
     * as the first name. By phone no name is taken (it is read from the passport at the counter): the backend, which
     * needs one, gets a placeholder that says so.
     */
    static String[] names(String name) {
        String clean = name.strip().replaceAll("\\s+", " ");
        if (clean.isEmpty()) return new String[] {"Nom à relever", "au guichet"};
        int space = clean.indexOf(' ');
        if (space < 0) return new String[] {"-", clean};
        return new String[] {clean.substring(space + 1), clean.substring(0, space)};
    }

    /** The backend user standing for a social worker, created once ({@code responsible_id} of those they book for). */
    private long responsible(String bookedBy, RdvspMapping.Target target) {
        Optional<Long> known = jdbc.sql("SELECT user_id FROM rdvsp_responsibles WHERE booked_by = ?").param(bookedBy).query(Long.class).optional();
        if (known.isPresent()) return known.get();
        long created = client.createUser(new RdvspClient.NewUser(target.organisationId(), "Accompagnant", "Guichet " + bookedBy,
                null, false, null, null));
        separately.executeWithoutResult(s -> journal.jdbc().sql("""
                        INSERT INTO rdvsp_responsibles (booked_by, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(bookedBy, created, RdvspAppointments.utc(clock.instant())).update());
        return jdbc.sql("SELECT user_id FROM rdvsp_responsibles WHERE booked_by = ?").param(bookedBy).query(Long.class).single();
    }

    /** The backend booked: the local record, the reference, the events (and for a move, the old one replaced). */
    private BookingOutcome record(RdvspAttempts.Attempt a, RdvspClient.Rdv rdv, long userId, Instant now) {
        Reference reference = references.register(ReferenceRegistry.Kind.APPOINTMENT);
        Duration duration = rdv.durationMinutes() > 0 ? Duration.ofMinutes(rdv.durationMinutes())
                : catalogue.procedure(a.procedure()).map(Procedure::duration).orElse(Duration.ofMinutes(30));
        Appointment booked = new Appointment(reference, AppointmentStatus.BOOKED, SlotIds.encode(SlotIds.decode(a.slotId()).orElseThrow().lieuId(), rdv.start()),
                a.site(), rdv.start(), duration, a.procedure(), a.applicant(), a.channel(), a.bookedBy(), now);
        Optional<RdvspAppointments.Held> old = a.movesFrom() == null ? Optional.empty() : appointments.byReferenceForUpdate(a.movesFrom());
        old.ifPresent(h -> appointments.markMoved(h.appointment().reference(), reference, now));
        if (!appointments.insert(booked, rdv.id(), userId, a.override())) {
            // Another booking for the same person and procedure won meanwhile: give this one back.
            references.release(reference);
            orphans.cancel(rdv.id());
            Reference existing = appointments.active(a.applicant(), a.procedure()).orElseThrow();
            attempts.done(a.key(), "ALREADY_BOOKED", existing, now);
            return new BookingOutcome.AlreadyBooked(existing);
        }
        attempts.done(a.key(), "BOOKED", reference, now);
        if (old.isPresent()) {
            Appointment from = old.get().appointment();
            Appointment movedFrom = new Appointment(from.reference(), AppointmentStatus.MOVED, from.slotId(), from.site(), from.start(),
                    from.duration(), from.procedure(), from.applicant(), from.channel(), from.bookedBy(), from.createdAt());
            if (old.get().rdvId() != rdv.id()) orphans.cancel(old.get().rdvId());
            events.publishEvent(new AppointmentMoved(movedFrom, booked));
        } else {
            events.publishEvent(new AppointmentBooked(booked));
        }
        return new BookingOutcome.Booked(booked);
    }

    // ---- cancel, move, read ------------------------------------------------------------------------------------

    @Override
    public CancelOutcome cancel(Reference reference, PhoneNumber phone) {
        return cancelWhere(reference, h -> phone.equals(h.appointment().applicant().phone()));
    }

    @Override
    public CancelOutcome cancelBookedBy(Reference reference, String bookedBy) {
        return cancelWhere(reference, h -> bookedBy.equals(h.appointment().bookedBy()));
    }

    private CancelOutcome cancelWhere(Reference reference, Predicate<RdvspAppointments.Held> owner) {
        return callLimit.call(() -> cancelWithPermit(reference, owner), () -> new CancelOutcome.BackendUnavailable("busy"));
    }

    private CancelOutcome cancelWithPermit(Reference reference, Predicate<RdvspAppointments.Held> owner) {
        return transactions.execute(status -> {
            Instant now = clock.instant();
            Optional<RdvspAppointments.Held> held = appointments.byReferenceForUpdate(reference).filter(owner);
            if (held.isEmpty()) return new CancelOutcome.NotFound();
            Appointment a = held.get().appointment();
            if (a.status() != AppointmentStatus.BOOKED || !a.start().isAfter(now)) return new CancelOutcome.NotActive(a.status());
            try {
                client.cancel(held.get().rdvId());
            } catch (RdvspException e) {
                // 404: the backend no longer has it (deleted there); cancelling here is then only catching up.
                if (e.kind() != RdvspException.Kind.NOT_FOUND) return new CancelOutcome.BackendUnavailable(e.kind().name());
            }
            slots.forget(a.site());
            return new CancelOutcome.Cancelled(cancelLocally(a, now));
        });
    }

    /** Marks the appointment cancelled here and tells the rest of Guichet (reminders stop, the conversation frees). */
    Appointment cancelLocally(Appointment a, Instant now) {
        appointments.setStatus(a.reference(), AppointmentStatus.CANCELLED, now);
        Appointment cancelled = new Appointment(a.reference(), AppointmentStatus.CANCELLED, a.slotId(), a.site(), a.start(),
                a.duration(), a.procedure(), a.applicant(), a.channel(), a.bookedBy(), a.createdAt());
        events.publishEvent(new AppointmentCancelled(cancelled));
        return cancelled;
    }

    @Override
    public BookingOutcome move(Reference reference, PhoneNumber phone, long newSlotId, String idempotencyKey) {
        return moveWhere(reference, h -> phone.equals(h.appointment().applicant().phone()), phone.e164(), newSlotId, idempotencyKey);
    }

    @Override
    public BookingOutcome moveBookedBy(Reference reference, String bookedBy, long newSlotId, String idempotencyKey) {
        return moveWhere(reference, h -> bookedBy.equals(h.appointment().bookedBy()), bookedBy, newSlotId, idempotencyKey);
    }

    /**
     * A move is a booking of the new slot (same backend user) and then the cancellation of the old rdv: the old place
     * is freed only once the new one is taken. A move the backend did not answer is not replayed (the person is told
     * to try again), but a POST that may have booked is still looked up by the replay.
     */
    private BookingOutcome moveWhere(Reference reference, Predicate<RdvspAppointments.Held> owner, String ownerValue,
                                     long newSlotId, String key) {
        String fingerprint = digest("MOVE", reference.value(), ownerValue, newSlotId);
        return callLimit.call(() -> moveWithPermit(reference, owner, newSlotId, key, fingerprint),
                () -> new BookingOutcome.BackendUnavailable("busy"));
    }

    private BookingOutcome moveWithPermit(Reference reference, Predicate<RdvspAppointments.Held> owner, long newSlotId,
                                          String key, String fingerprint) {
        return transactions.execute(status -> {
            Instant now = clock.instant();
            Optional<RdvspAppointments.Held> held = appointments.byReference(reference).filter(owner);
            if (held.isEmpty()) return new BookingOutcome.AppointmentNotFound();
            Appointment old = held.get().appointment();
            appointments.lockPerson(old.applicant(), old.procedure());
            Optional<RdvspAttempts.Attempt> earlier = attempts.find(key);
            if (earlier.isPresent()) return again(earlier.get(), fingerprint, now);
            old = appointments.byReferenceForUpdate(reference).orElseThrow().appointment();
            if (old.status() != AppointmentStatus.BOOKED || !old.start().isAfter(now)) return new BookingOutcome.AppointmentNotFound();
            if (old.slotId() == newSlotId) return new BookingOutcome.Booked(old);
            Chosen chosen = choose(newSlotId, old.procedure(), now);
            if (chosen.refusal() != null) return chosen.refusal();
            RdvspAttempts.Attempt attempt = new RdvspAttempts.Attempt(key, fingerprint, RdvspAttempts.State.IN_FLIGHT, newSlotId,
                    chosen.target().site(), old.procedure(), chosen.start(), old.applicant(), old.channel(), old.bookedBy(),
                    appointments.overrides(reference), reference, held.get().userId(), false, null, null, 0, now);
            if (!Boolean.TRUE.equals(separately.execute(s -> journal.attempts().claim(attempt, now)))) {
                return new BookingOutcome.BackendUnavailable("in progress");
            }
            BookingOutcome outcome = send(attempt, chosen.target(), now, false);
            if (outcome instanceof BookingOutcome.BackendUnavailable) {
                attempts.find(key).filter(a -> !a.posted()).ifPresent(a ->
                        attempts.end(key, RdvspAttempts.State.ABANDONED, "move not replayed", now));
            }
            return outcome;
        });
    }

    @Override
    public Optional<Appointment> find(Reference reference, PhoneNumber phone) {
        return appointments.byReference(reference).map(RdvspAppointments.Held::appointment)
                .filter(a -> phone.equals(a.applicant().phone()));
    }

    @Override
    public List<Appointment> upcoming(PhoneNumber phone) {
        return appointments.upcoming(phone, clock.instant());
    }

    @Override
    public List<Appointment> upcomingBookedBy(String bookedBy) {
        return appointments.upcomingBookedBy(bookedBy, clock.instant());
    }

    /** A digest of what a request asked for (no name or number is stored with the key in clear twice). */
    static String digest(Object... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Object part : parts) {
                digest.update((part == null ? "\u0000null" : part.toString()).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0x1f);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
