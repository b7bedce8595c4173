package fr.guichet.conversation;

import fr.guichet.booking.Applicant;
import fr.guichet.booking.Appointment;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.BookingCommand;
import fr.guichet.booking.BookingOutcome;
import fr.guichet.booking.BookingPort;
import fr.guichet.booking.CancelOutcome;
import fr.guichet.booking.NewRequest;
import fr.guichet.booking.QueuedRequest;
import fr.guichet.booking.Reference;
import fr.guichet.booking.Requests;
import fr.guichet.booking.Slot;
import fr.guichet.booking.SlotQuery;
import fr.guichet.phone.PhoneNumber;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs the actions flows ask for against the booking port and the queue, and turns every outcome into an exit name
 * of the action ({@link Flows#ACTION_EXITS}) plus variables for the texts.
 */
final class BookingActions {
    /**
     * How far ahead slots are offered by default: beyond it the person is offered the queue
     * ({@code app.queue.horizon}, APP_QUEUE_HORIZON, docs/queue.md).
     */
    static final Duration HORIZON = Duration.ofDays(56);
    private static final int OFFERED = 3;
    /** The actions that only read: a turn that ran nothing else changed nothing but the conversation's position. */
    static final java.util.Set<String> READ_ONLY = java.util.Set.of("find_slots", "look_up", "find_mine");
    /** More than a keypad menu page would be unreadable; past it the person gives the reference. */
    private static final int MAX_LISTED = 7;

    private final Supplier<BookingPort> ports;
    private final Supplier<Requests> queues;
    private final Clock clock;
    private final ZoneId zone;
    private final Duration horizon;
    private final BookingLimits limits;

    BookingActions(Supplier<BookingPort> ports, Supplier<Requests> queues, Clock clock, ZoneId zone, Duration horizon,
                   BookingLimits limits) {
        this.limits = limits;
        this.ports = ports;
        this.queues = queues;
        this.clock = clock;
        this.zone = zone;
        this.horizon = horizon;
    }

    /** The person and context of one turn, what every action needs besides the answers. */
    record Caller(PhoneNumber phone, Channel channel, String language, CatalogueSnapshot catalogue) {}

    ActionResult run(ActionRequest request, Caller caller) {
        Map<String, String> v = request.vars();
        BookingPort port = ports.get();
        return switch (request.name()) {
            case "find_slots" -> findSlots(port, v, caller);
            case "book" -> book(port, v, caller);
            case "cancel" -> cancel(port, v, caller);
            case "move" -> move(port, v, caller);
            case "look_up" -> lookUp(port, v, caller);
            case "find_mine" -> findMine(port, caller);
            case "queue" -> queue(v, caller);
            default -> throw new IllegalStateException("unknown action " + request.name());
        };
    }

    private ActionResult findSlots(BookingPort port, Map<String, String> v, Caller caller) {
        String procedure = v.get("procedure");
        if (procedure == null || procedure.isEmpty()) return ActionResult.of("failure");
        Instant now = clock.instant();
        Instant from = now;
        if (v.get("day") != null && !v.get("day").isEmpty()) {
            Instant day = LocalDate.parse(v.get("day")).atStartOfDay(zone).toInstant();
            if (day.isAfter(now)) from = day;
        }
        String site = v.get("site") == null || v.get("site").isEmpty() ? null : v.get("site");
        List<Slot> slots = port.findSlots(new SlotQuery(site, procedure, from, from.plus(horizon), 60));
        String part = v.getOrDefault("part", "");
        // A move does not offer the time of the appointment being moved.
        String movingFrom = v.getOrDefault("moving_from", "");
        List<Slot> offered = slots.stream()
                .filter(s -> movingFrom.isEmpty() || !s.start().toString().equals(movingFrom))
                .filter(s -> !"morning".equals(part) || s.start().atZone(zone).getHour() < 12)
                .filter(s -> !"afternoon".equals(part) || s.start().atZone(zone).getHour() >= 12)
                .limit(OFFERED)
                .toList();
        if (offered.isEmpty()) return ActionResult.of("none");
        Map<String, String> out = new HashMap<>();
        out.put("slot_count", String.valueOf(offered.size()));
        for (int i = 0; i < offered.size(); i++) {
            Slot s = offered.get(i);
            out.put("slot_" + (i + 1) + "_id", String.valueOf(s.id()));
            out.put("slot_" + (i + 1) + "_start", s.start().toString());
            out.put("slot_" + (i + 1) + "_site_name", caller.catalogue().site(s.site()).map(x -> x.name()).orElse(s.site()));
        }
        return new ActionResult("success", out);
    }

    private Applicant applicant(Map<String, String> v, Caller caller) {
        return new Applicant(v.get("name"), LocalDate.parse(v.get("birth_date")), caller.phone(), caller.language());
    }

    /** The same step of the same conversation always makes the same key, so a retried turn never books twice. */
    private static String key(String action, Map<String, String> v, Caller caller) {
        return "conversation:" + caller.phone().e164() + ":" + v.getOrDefault("_steps", "0") + ":" + action + ":" + v.getOrDefault("slot", "");
    }

    private static BookingChannel channel(Caller caller) {
        return caller.channel() == Channel.VOICE ? BookingChannel.VOICE : BookingChannel.SMS;
    }

    /** The limit exit this attempt takes ({@code limit} or {@code max_active}), if it is refused. */
    private Optional<ActionResult> refused(BookingPort port, String key, Caller caller) {
        return limits.refusal(caller.phone(), key, port.upcoming(caller.phone()).size())
                .map(r -> ActionResult.of(r == BookingLimits.Refusal.ACTIVE ? "max_active" : "limit"));
    }

    private ActionResult book(BookingPort port, Map<String, String> v, Caller caller) {
        String key = key("book", v, caller);
        Optional<ActionResult> refused = refused(port, key, caller);
        if (refused.isPresent()) return refused.get();
        BookingOutcome outcome = port.book(new BookingCommand(key, Long.parseLong(v.get("slot")), v.get("procedure"),
                applicant(v, caller), channel(caller), null, false));
        // A place taken a moment before is not the person's doing: it does not count against their hourly attempts.
        if (!(outcome instanceof BookingOutcome.SlotFull) && !(outcome instanceof BookingOutcome.BackendUnavailable)) {
            limits.record(caller.phone(), key);
        }
        return switch (outcome) {
            case BookingOutcome.Booked b -> new ActionResult("success", appointmentVars(b.appointment(), caller));
            case BookingOutcome.SlotFull f -> ActionResult.of("full");
            case BookingOutcome.SlotNotFound f -> ActionResult.of("full");
            case BookingOutcome.SlotInPast f -> ActionResult.of("full");
            case BookingOutcome.AlreadyBooked a -> new ActionResult("already_booked", Map.of("reference", a.existing().grouped()));
            case BookingOutcome.BackendUnavailable u -> ActionResult.of("timeout");
            default -> ActionResult.of("failure");
        };
    }

    private ActionResult move(BookingPort port, Map<String, String> v, Caller caller) {
        Optional<Reference> reference = Reference.parse(v.getOrDefault("reference", ""));
        if (reference.isEmpty()) return ActionResult.of("not_found");
        BookingOutcome outcome = port.move(reference.get(), caller.phone(), Long.parseLong(v.get("slot")), key("move", v, caller));
        return switch (outcome) {
            case BookingOutcome.Booked b -> new ActionResult("success", appointmentVars(b.appointment(), caller));
            case BookingOutcome.SlotFull f -> ActionResult.of("full");
            case BookingOutcome.SlotNotFound f -> ActionResult.of("full");
            case BookingOutcome.SlotInPast f -> ActionResult.of("full");
            case BookingOutcome.AppointmentNotFound n -> ActionResult.of("not_found");
            case BookingOutcome.BackendUnavailable u -> ActionResult.of("timeout");
            default -> ActionResult.of("failure");
        };
    }

    private ActionResult cancel(BookingPort port, Map<String, String> v, Caller caller) {
        Optional<Reference> reference = Reference.parse(v.getOrDefault("reference", ""));
        if (reference.isEmpty()) return ActionResult.of("not_found");
        return switch (port.cancel(reference.get(), caller.phone())) {
            case CancelOutcome.Cancelled c -> ActionResult.of("success");
            case CancelOutcome.NotFound n -> ActionResult.of("not_found");
            case CancelOutcome.NotActive n -> ActionResult.of("not_found");
            case CancelOutcome.BackendUnavailable u -> ActionResult.of("timeout");
        };
    }

    private ActionResult lookUp(BookingPort port, Map<String, String> v, Caller caller) {
        return Reference.parse(v.getOrDefault("reference", ""))
                .flatMap(r -> port.find(r, caller.phone()))
                .filter(a -> a.status() == fr.guichet.booking.AppointmentStatus.BOOKED)
                .map(a -> new ActionResult("success", appointmentVars(a, caller)))
                .orElse(ActionResult.of("not_found"));
    }

    /**
     * The number's appointments to come: one is shown at once; several (a family may share a phone) are listed for
     * the person to choose, as {@code booking_N_*} variables for the {@code bookings} menu source.
     */
    private ActionResult findMine(BookingPort port, Caller caller) {
        List<Appointment> upcoming = port.upcoming(caller.phone());
        if (upcoming.isEmpty()) return ActionResult.of("not_found");
        if (upcoming.size() == 1) return new ActionResult("success", appointmentVars(upcoming.getFirst(), caller));
        Map<String, String> out = new HashMap<>();
        int count = Math.min(MAX_LISTED, upcoming.size());
        out.put("booking_count", String.valueOf(count));
        for (int i = 0; i < count; i++) {
            Appointment a = upcoming.get(i);
            String n = "booking_" + (i + 1) + "_";
            out.put(n + "reference", a.reference().grouped());
            out.put(n + "initials", a.applicant().initials());
            out.put(n + "start", a.start().toString());
            out.put(n + "procedure", a.procedure());
        }
        return new ActionResult("several", out);
    }

    private ActionResult queue(Map<String, String> v, Caller caller) {
        String site = v.get("site") == null || v.get("site").isEmpty() ? null : v.get("site");
        LocalDate expiry = v.get("expiry") == null ? null : LocalDate.parse(v.get("expiry"));
        String key = key("queue", v, caller);
        // Joining the queue is an attempt too, but holding appointments does not bar it (a booking that failed lands here).
        if (limits.refusal(caller.phone(), key, 0).isPresent()) return ActionResult.of("limit");
        QueuedRequest queued = queues.get().submit(new NewRequest(key, v.get("procedure"), site, applicant(v, caller),
                expiry, channel(caller), null));
        limits.record(caller.phone(), key);
        return new ActionResult("success", Map.of("reference", queued.reference().grouped()));
    }

    private static Map<String, String> appointmentVars(Appointment a, Caller caller) {
        String siteName = caller.catalogue().site(a.site()).map(s -> s.name()).orElse(a.site());
        return Map.of(
                "reference", a.reference().grouped(),
                "start", a.start().toString(),
                "site", a.site(),
                "site_name", siteName,
                "procedure", a.procedure(),
                "slot_start", a.start().toString(),
                "slot_site_name", siteName);
    }
}
