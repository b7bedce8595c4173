package fr.guichet.worker;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import fr.guichet.booking.Applicant;
import fr.guichet.booking.Appointment;
import fr.guichet.booking.BookedBy;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.BookingCommand;
import fr.guichet.booking.BookingOutcome;
import fr.guichet.booking.BookingPort;
import fr.guichet.booking.CancelOutcome;
import fr.guichet.booking.NewRequest;
import fr.guichet.booking.Reference;
import fr.guichet.booking.Requests;
import fr.guichet.conversation.FlowActions;
import fr.guichet.notify.TextReach;
import fr.guichet.phone.PhoneNumber;
import fr.guichet.queue.Renewals;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The actions of {@code voice-flows/worker.yaml}: recognition by number and PIN (with lock-out and audit), the open
 * worker space kept in {@code worker_sessions}, bookings on behalf with their mandate and daily limit, and the
 * management of the bookings the worker made (only those: every query is by {@code booked_by = worker:<id>}).
 * Runs inside the conversation turn's transaction, so the audit, the booking and the texts commit together.
 */
@Component
class WorkerFlowActions implements FlowActions {
    private static final Logger log = LoggerFactory.getLogger(WorkerFlowActions.class);
    private static final Set<String> ACTIONS = Set.of("worker_enter", "worker_check_pin", "worker_check_phone", "worker_book",
            "worker_list", "worker_cancel", "worker_move", "worker_queue", "worker_renewal");
    /** More than a worker reads on a phone; the menu pages them anyway. */
    private static final int LISTED = 20;

    private final WorkerRegistry registry;
    private final PinHasher pins;
    private final BookingPort bookings;
    private final Requests requests;
    private final Renewals renewals;
    private final WorkerNotices notices;
    private final TextReach reach;
    private final WorkerProperties properties;
    private final Clock clock;
    private final ZoneId zone;

    WorkerFlowActions(WorkerRegistry registry, PinHasher pins, BookingPort bookings, Requests requests, Renewals renewals,
            WorkerNotices notices, TextReach reach, WorkerProperties properties, Clock clock,
            @Value("${app.time-zone:Europe/Paris}") ZoneId zone) {
        this.registry = registry;
        this.pins = pins;
        this.bookings = bookings;
        this.requests = requests;
        this.renewals = renewals;
        this.notices = notices;
        this.reach = reach;
        this.properties = properties;
        this.clock = clock;
        this.zone = zone;
    }

    static String bookedBy(long workerId) {
        return BookedBy.worker(workerId);
    }

    @Override
    public boolean handles(String action) {
        return ACTIONS.contains(action);
    }

    @Override
    public Result run(Call call) {
        return switch (call.action()) {
            case "worker_enter" -> enter(call);
            case "worker_check_pin" -> checkPin(call);
            case "worker_check_phone" -> checkPhone(call);
            case "worker_book" -> book(call);
            case "worker_list" -> list(call);
            case "worker_cancel" -> cancel(call);
            case "worker_move" -> move(call);
            case "worker_queue" -> queue(call, null);
            case "worker_renewal" -> queue(call, LocalDate.parse(call.vars().get("person_expiry")));
            default -> throw new IllegalArgumentException("not a worker action: " + call.action());
        };
    }

    // ---- recognition ---------------------------------------------------------------------------------------------

    private Result enter(Call call) {
        Instant now = clock.instant();
        Optional<WorkerRegistry.Account> account = registry.byPhoneForUpdate(call.phone()).filter(WorkerRegistry.Account::active);
        if (account.isEmpty()) return Result.of("unknown");
        if (registry.session(call.phone(), now).isPresent()) {
            registry.openSession(call.phone(), account.get().id(), now.plus(properties.sessionTimeout()));
            return Result.of("signed_in");
        }
        if (locked(account.get(), now)) return locked(account.get());
        return Result.of("pin");
    }

    private static boolean locked(WorkerRegistry.Account account, Instant now) {
        return account.lockedUntil() != null && account.lockedUntil().isAfter(now);
    }

    private static Result locked(WorkerRegistry.Account account) {
        return new Result("locked", Map.of("unlock_at", account.lockedUntil().toString(), "pin", ""));
    }

    private Result checkPin(Call call) {
        Instant now = clock.instant();
        String pin = call.vars().getOrDefault("pin", "");
        String channel = call.channel().name();
        Optional<WorkerRegistry.Account> found = registry.byPhoneForUpdate(call.phone());
        if (found.isEmpty()) return new Result("unknown", Map.of("pin", ""));
        WorkerRegistry.Account account = found.get();
        if (!account.active()) {
            registry.audit(account.id(), call.phone(), channel, "INACTIVE", now);
            return new Result("unknown", Map.of("pin", ""));
        }
        if (locked(account, now)) {
            registry.audit(account.id(), call.phone(), channel, "LOCKED_OUT", now);
            return locked(account);
        }
        if (pins.matches(pin, account.pinHash())) {
            registry.recordPinOutcome(account.id(), 0, null, now);
            registry.audit(account.id(), call.phone(), channel, "ACCEPTED", now);
            registry.openSession(call.phone(), account.id(), now.plus(properties.sessionTimeout()));
            log.info("Worker {} opened the worker space by {}", account.id(), channel);
            return new Result("accepted", Map.of("pin", ""));
        }
        registry.audit(account.id(), call.phone(), channel, "WRONG", now);
        int failed = account.failedPins() + 1;
        if (failed >= properties.pinAttempts()) {
            Instant until = now.plus(properties.lockFor());
            registry.recordPinOutcome(account.id(), 0, until, now);
            log.warn("Worker {}: {} wrong PINs, worker space locked for {}", account.id(), failed, properties.lockFor());
            return new Result("locked", Map.of("unlock_at", until.toString(), "pin", ""));
        }
        registry.recordPinOutcome(account.id(), failed, null, now);
        return new Result("wrong", Map.of("attempts_left", String.valueOf(properties.pinAttempts() - failed), "pin", ""));
    }

    /** The worker whose space is open on this number, renewed; empty when it timed out or was closed by staff. */
    private Optional<WorkerRegistry.Account> signedIn(Call call) {
        Instant now = clock.instant();
        Optional<Long> session = registry.session(call.phone(), now);
        if (session.isEmpty()) return Optional.empty();
        Optional<WorkerRegistry.Account> account = registry.byPhoneForUpdate(call.phone())
                .filter(a -> a.active() && a.id() == session.get());
        account.ifPresent(a -> registry.openSession(call.phone(), a.id(), now.plus(properties.sessionTimeout())));
        return account;
    }

    // ---- booking on behalf ---------------------------------------------------------------------------------------

    private Result checkPhone(Call call) {
        PhoneNumber phone;
        try {
            phone = new PhoneNumber(call.vars().getOrDefault("person_phone", ""));
        } catch (IllegalArgumentException e) {
            return Result.of("not_mobile");
        }
        if (!phone.canReceiveTexts()) return Result.of("not_mobile");
        return new Result("mobile", Map.of("person_phone_spoken", international(phone)));
    }

    /** Read back with the country code, grouped as the country writes it: +212 6 12 34 56 78. */
    static String international(PhoneNumber phone) {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        try {
            return util.format(util.parse(phone.e164(), null), PhoneNumberUtil.PhoneNumberFormat.INTERNATIONAL);
        } catch (NumberParseException e) {
            return phone.e164();
        }
    }

    /** The daily limit counts every mandate: bookings, places in the queue and renewals. */
    private Optional<Result> overLimit(WorkerRegistry.Account worker, Instant now) {
        Instant startOfDay = LocalDate.ofInstant(now, zone).atStartOfDay(zone).toInstant();
        // The worker's row is locked (byPhoneForUpdate), so two phones of one worker cannot both pass the limit.
        if (registry.mandatesSince(worker.id(), startOfDay) < worker.dailyLimit()) return Optional.empty();
        return Optional.of(new Result("limit", Map.of("daily_limit", String.valueOf(worker.dailyLimit()))));
    }

    private static Applicant person(Call call) {
        Map<String, String> v = call.vars();
        String personPhone = v.getOrDefault("person_phone", "");
        return new Applicant(v.get("person_name"), LocalDate.parse(v.get("person_birth_date")),
                personPhone.isEmpty() ? null : new PhoneNumber(personPhone), v.getOrDefault("person_language", call.language()));
    }

    private Result book(Call call) {
        Optional<WorkerRegistry.Account> signed = signedIn(call);
        if (signed.isEmpty()) return Result.of("signed_out");
        WorkerRegistry.Account worker = signed.get();
        Map<String, String> v = call.vars();
        Instant now = clock.instant();
        Optional<Result> limit = overLimit(worker, now);
        if (limit.isPresent()) return limit.get();
        Applicant applicant = person(call);
        String key = "worker:" + call.phone().e164() + ":" + call.steps() + ":book:" + v.getOrDefault("slot", "");
        BookingOutcome outcome = bookings.book(new BookingCommand(key, Long.parseLong(v.get("slot")), v.get("procedure"), applicant,
                BookingChannel.WORKER, bookedBy(worker.id()), false));
        return switch (outcome) {
            case BookingOutcome.Booked b -> {
                Appointment a = b.appointment();
                registry.recordMandate(worker.id(), a.reference().value(), applicant.initials(), applicant.phone() != null,
                        call.channel().name(), now);
                boolean byCall = notices.booked(a, worker, call.phone(), call.language());
                Map<String, String> out = new HashMap<>(notices.appointmentVars(a));
                out.put("person_initials", notices.who(applicant, call.language()));
                yield new Result(byCall ? "success_call" : "success", out);
            }
            case BookingOutcome.SlotFull f -> Result.of("full");
            case BookingOutcome.SlotNotFound f -> Result.of("full");
            case BookingOutcome.SlotInPast f -> Result.of("full");
            case BookingOutcome.AlreadyBooked a -> Result.of("already_booked");
            case BookingOutcome.BackendUnavailable u -> Result.of("timeout");
            default -> Result.of("failure");
        };
    }

    /**
     * The person joins the queue (no place now) or, with {@code expiry}, has a permit's renewal registered. The request
     * keeps the worker as who booked: its acknowledgement goes to the person's phone, and the convocation the queue
     * gives it is texted like a booking on behalf (to the worker for a person without a phone).
     */
    private Result queue(Call call, LocalDate expiry) {
        Optional<WorkerRegistry.Account> signed = signedIn(call);
        if (signed.isEmpty()) return Result.of("signed_out");
        WorkerRegistry.Account worker = signed.get();
        Instant now = clock.instant();
        Optional<Result> limit = overLimit(worker, now);
        if (limit.isPresent()) return limit.get();
        Map<String, String> v = call.vars();
        Applicant applicant = person(call);
        String site = v.getOrDefault("site", "").isEmpty() ? null : v.get("site");
        NewRequest request = new NewRequest("worker:" + call.phone().e164() + ":" + call.steps() + ":" + call.action(),
                v.get("procedure"), site, applicant, expiry, BookingChannel.WORKER, bookedBy(worker.id()));
        Map<String, String> out = new HashMap<>();
        String exit = "success";
        Reference reference;
        if (expiry == null) {
            reference = requests.submit(request).reference();
            out.put("reference", reference.grouped());
        } else {
            Renewals.Registered registered = renewals.register(request);
            reference = registered.reference();
            exit = registered.timing().exit();
            out.putAll(registered.vars());
        }
        registry.recordMandate(worker.id(), reference.value(), applicant.initials(), applicant.phone() != null, call.channel().name(), now);
        out.put("person_initials", notices.who(applicant, call.language()));
        // The worker is told how the convocation will come: by a call when texts do not reach the person's number.
        return new Result(reach.textsMiss(applicant.phone()) && (exit.equals("success") || exit.equals("soon")) ? exit + "_call" : exit, out);
    }

    // ---- managing ------------------------------------------------------------------------------------------------

    private Result list(Call call) {
        Optional<WorkerRegistry.Account> signed = signedIn(call);
        if (signed.isEmpty()) return Result.of("signed_out");
        List<Appointment> mine = bookings.upcomingBookedBy(bookedBy(signed.get().id()));
        if (mine.isEmpty()) return Result.of("none");
        Map<String, String> out = new HashMap<>();
        int count = Math.min(LISTED, mine.size());
        out.put("booking_count", String.valueOf(count));
        for (int i = 0; i < count; i++) {
            Appointment a = mine.get(i);
            String n = "booking_" + (i + 1) + "_";
            out.put(n + "reference", a.reference().grouped());
            out.put(n + "initials", notices.who(a.applicant(), call.language()));
            out.put(n + "start", a.start().toString());
            out.put(n + "procedure", a.procedure());
        }
        return new Result("success", out);
    }

    private Result cancel(Call call) {
        Optional<WorkerRegistry.Account> signed = signedIn(call);
        if (signed.isEmpty()) return Result.of("signed_out");
        Optional<Reference> reference = Reference.parse(call.vars().getOrDefault("booking", ""));
        if (reference.isEmpty()) return Result.of("not_found");
        return switch (bookings.cancelBookedBy(reference.get(), bookedBy(signed.get().id()))) {
            case CancelOutcome.Cancelled c -> {
                notices.cancelled(c.appointment(), signed.get(), call.phone(), call.language());
                yield Result.of("success");
            }
            case CancelOutcome.NotFound n -> Result.of("not_found");
            case CancelOutcome.NotActive n -> Result.of("not_found");
            case CancelOutcome.BackendUnavailable u -> Result.of("timeout");
        };
    }

    private Result move(Call call) {
        Optional<WorkerRegistry.Account> signed = signedIn(call);
        if (signed.isEmpty()) return Result.of("signed_out");
        Optional<Reference> reference = Reference.parse(call.vars().getOrDefault("booking", ""));
        if (reference.isEmpty()) return Result.of("not_found");
        String key = "worker:" + call.phone().e164() + ":" + call.steps() + ":move:" + call.vars().getOrDefault("slot", "");
        BookingOutcome outcome = bookings.moveBookedBy(reference.get(), bookedBy(signed.get().id()),
                Long.parseLong(call.vars().get("slot")), key);
        return switch (outcome) {
            case BookingOutcome.Booked b -> {
                // A move is not a new mandate (the first one stays, under the first reference) and not a new booking
                // for the daily limit; the person gets a new convocation for the new reference.
                notices.booked(b.appointment(), signed.get(), call.phone(), call.language());
                yield new Result("success", notices.appointmentVars(b.appointment()));
            }
            case BookingOutcome.SlotFull f -> Result.of("full");
            case BookingOutcome.SlotNotFound f -> Result.of("full");
            case BookingOutcome.SlotInPast f -> Result.of("full");
            case BookingOutcome.AppointmentNotFound n -> Result.of("not_found");
            case BookingOutcome.BackendUnavailable u -> Result.of("timeout");
            default -> Result.of("failure");
        };
    }
}
