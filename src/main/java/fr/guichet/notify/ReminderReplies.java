package fr.guichet.notify;

import static fr.guichet.notify.ReminderScheduler.utc;

import fr.guichet.booking.Appointment;
import fr.guichet.booking.AppointmentStatus;
import fr.guichet.booking.BookingPort;
import fr.guichet.booking.CancelOutcome;
import fr.guichet.booking.Reference;
import fr.guichet.conversation.Channel;
import fr.guichet.conversation.NoticeReplies;
import fr.guichet.phone.PhoneNumber;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Replies to a reminder text: confirm (1, CONFIRMER…), cancel (2, ANNULER…), move (3, DÉPLACER…), in every language,
 * whether or not a conversation is open — the person may never have written before.
 *
 * <p>Never breaking a conversation in progress ({@code Query.inConversation}):
 * <ul>
 *   <li>a bare digit belongs to the question being asked, and outside a conversation it counts only while nothing
 *       else came from the number since the reminder (a "1" after "Bonjour" answers the menu, not the reminder);</li>
 *   <li>a reply word is taken during a conversation only for a reminder still waiting for its answer, and then the
 *       runtime asks the question in progress again;</li>
 *   <li>ANNULER during a conversation asks for a second ANNULER (the word may have meant "stop what I am doing"),
 *       DÉPLACER during a conversation says how to do it afterwards: the person is never taken out of their flow.</li>
 * </ul>
 * The reply goes to the newest reminder sent to the number within {@code app.reminder.reply-window}, or to the one
 * whose reference it names; a moved appointment is followed to the one that replaced it. A reply about a cancelled
 * or past appointment gets a plain answer saying so.
 */
@Component
class ReminderReplies implements NoticeReplies {
    /** How long a first ANNULER in a conversation waits for the second one. */
    static final Duration CANCEL_AGAIN_WITHIN = Duration.ofMinutes(10);
    private static final int MAX_MOVES_FOLLOWED = 20;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ReminderSettings settings;
    private final ReminderWords words;
    private final ReminderTexts texts;
    private final ObjectProvider<BookingPort> bookings;

    ReminderReplies(JdbcClient jdbc, Clock clock, ReminderSettings settings, ReminderWords words, ReminderTexts texts,
            ObjectProvider<BookingPort> bookings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
        this.words = words;
        this.texts = texts;
        this.bookings = bookings;
    }

    record Sent(long id, String reference, String recipient, String language, OffsetDateTime sentAt, OffsetDateTime answeredAt) {}

    record Current(String reference, String status, String movedTo, String site, OffsetDateTime startAt, String phone,
                   String bookedBy, String initials, OffsetDateTime cancelAskedAt) {}

    /** The newest reminder texted to the number and not answered yet is answered by a bare 1, 2 or 3. */
    @Override
    public Optional<Instant> digitAnswerableSince(PhoneNumber phone) {
        return jdbc.sql("""
                        SELECT sent_at FROM reminders WHERE to_number = :from AND channel = 'SMS' AND sent_at IS NOT NULL
                          AND answered_at IS NULL
                        ORDER BY sent_at DESC LIMIT 1""")
                .param("from", phone.e164())
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class))
                .optional().map(OffsetDateTime::toInstant);
    }

    /** Only SMS, and only the reminders' digits or words (with or without a reference). */
    @Override
    public boolean mayTake(Query query) {
        return query.channel() == Channel.SMS && words.parse(query.words()).isPresent();
    }

    @Override
    public Optional<Reply> reply(Query query) {
        // Replies by phone are the reminder call's own keys; a spoken conversation's digits are never taken.
        if (query.channel() != Channel.SMS) return Optional.empty();
        Instant now = clock.instant();
        Optional<ReminderWords.Parsed> parsed = words.parse(query.words());
        Optional<Sent> sent = parsed.flatMap(p -> lastSent(query.from(), p.reference(), now));
        return parsed.isPresent() && sent.isPresent() && takes(parsed.get(), sent.get(), query, now)
                ? Optional.of(answer(parsed.get(), sent.get(), query, now))
                : Optional.empty();
    }

    private Optional<Sent> lastSent(PhoneNumber from, Optional<Reference> reference, Instant now) {
        Instant since = now.atZone(settings.zone()).minus(settings.replyWindow()).toInstant();
        return jdbc.sql("""
                SELECT id, reference, recipient, language, sent_at, answered_at FROM reminders
                WHERE to_number = :from AND channel = 'SMS' AND sent_at IS NOT NULL AND sent_at >= :since
                  AND (CAST(:reference AS TEXT) IS NULL OR reference = :reference)
                ORDER BY sent_at DESC, id DESC LIMIT 1
                """).param("from", from.e164()).param("since", utc(since))
                .param("reference", reference.map(Reference::value).orElse(null))
                .query(Sent.class).optional();
    }

    /** Whether this message is a reply to that reminder at all (else it goes to the flows, untouched). */
    private boolean takes(ReminderWords.Parsed parsed, Sent sent, Query query, Instant now) {
        // A bare digit (offered only outside a conversation, when a reminder came since the person last wrote): the newest
        // reminder, unanswered.
        if (!parsed.word()) return sent.answeredAt() == null
                && (query.previousMessage() == null || sent.sentAt().toInstant().isAfter(query.previousMessage()));
        if (!query.inConversation()) return true;
        // In a conversation, a word could also answer the question being asked: only a reminder still unanswered,
        // for an appointment to come, claims it.
        Optional<Current> current = current(sent.reference());
        return sent.answeredAt() == null && current.isPresent() && "BOOKED".equals(current.get().status())
                && current.get().startAt().toInstant().isAfter(now);
    }

    private Reply answer(ReminderWords.Parsed parsed, Sent sent, Query query, Instant now) {
        String language = texts.offered(query.language() != null ? query.language() : sent.language());
        boolean worker = "WORKER".equals(sent.recipient());
        Optional<Current> found = current(sent.reference());
        if (found.isEmpty()) return say(language, "reminder.reply.inactive.sms", sent.reference(), null, null, null);
        Current a = found.get();
        Instant start = a.startAt().toInstant();
        if ("CANCELLED".equals(a.status())) return say(language, "reminder.reply.inactive.sms", a.reference(), start, a.site(), a.initials());
        if (!start.isAfter(now)) return say(language, "reminder.reply.past.sms", a.reference(), start, a.site(), a.initials());
        return switch (parsed.kind()) {
            case CONFIRM -> {
                answered(sent.id(), now);
                ReminderCalls.confirmAppointment(jdbc, a.reference(), "SMS", now);
                yield say(language, "reminder.reply.confirmed.sms", a.reference(), start, a.site(), a.initials());
            }
            case CANCEL -> cancel(a, sent, query, worker, language, now);
            case MOVE -> {
                // Told how to move it later, the person has not answered yet: a later word is still taken.
                if (!query.inConversation() || worker) answered(sent.id(), now);
                yield move(a, query, worker, language);
            }
        };
    }

    private Reply cancel(Current a, Sent sent, Query query, boolean worker, String language, Instant now) {
        Instant start = a.startAt().toInstant();
        boolean askedJustBefore = a.cancelAskedAt() != null
                && !a.cancelAskedAt().toInstant().plus(CANCEL_AGAIN_WITHIN).isBefore(now);
        if (query.inConversation() && !askedJustBefore) {
            // Not the answer yet: the reminder stays unanswered, so the second ANNULER is still taken.
            jdbc.sql("UPDATE reminder_appointments SET cancel_asked_at = :now, updated_at = :now WHERE reference = :r")
                    .param("now", utc(now)).param("r", a.reference()).update();
            return say(language, "reminder.reply.cancel_again.sms", a.reference(), start, a.site(), a.initials());
        }
        answered(sent.id(), now);
        BookingPort port = bookings.getIfAvailable();
        if (port == null) return Reply.say(language, texts.text(language, "error.later", Map.of()));
        Reference reference = new Reference(a.reference());
        if ((worker || a.phone() == null) && a.bookedBy() == null) {
            return say(language, "reminder.reply.inactive.sms", a.reference(), start, a.site(), a.initials());
        }
        CancelOutcome outcome = worker || a.phone() == null
                ? port.cancelBookedBy(reference, a.bookedBy())
                : port.cancel(reference, new PhoneNumber(a.phone()));
        return switch (outcome) {
            case CancelOutcome.Cancelled c -> say(language, "reminder.reply.cancelled.sms", a.reference(), start, a.site(), a.initials());
            case CancelOutcome.NotActive n -> say(language, n.status() == AppointmentStatus.CANCELLED
                    ? "reminder.reply.inactive.sms" : "reminder.reply.past.sms", a.reference(), start, a.site(), a.initials());
            case CancelOutcome.NotFound n -> say(language, "reminder.reply.inactive.sms", a.reference(), start, a.site(), a.initials());
            case CancelOutcome.BackendUnavailable u -> Reply.say(language, texts.text(language, "error.later", Map.of()));
        };
    }

    private Reply move(Current a, Query query, boolean worker, String language) {
        Instant start = a.startAt().toInstant();
        if (worker || a.phone() == null) return say(language, "reminder.reply.move_worker.sms", a.reference(), start, a.site(), a.initials());
        if (query.inConversation()) return say(language, "reminder.reply.move_later.sms", a.reference(), start, a.site(), a.initials());
        BookingPort port = bookings.getIfAvailable();
        Optional<Appointment> appointment = port == null ? Optional.empty()
                : port.find(new Reference(a.reference()), new PhoneNumber(a.phone()));
        if (appointment.isEmpty() || appointment.get().status() != AppointmentStatus.BOOKED) {
            return Reply.say(language, texts.text(language, "error.later", Map.of()));
        }
        Appointment found = appointment.get();
        Map<String, Object> args = texts.args(a.reference(), start, a.site(), a.initials());
        Map<String, String> vars = new HashMap<>();
        // What the appointment flow's move (and its "keep it" branch, appointment:show) reads.
        vars.put("reference", found.reference().grouped());
        vars.put("procedure", found.procedure());
        vars.put("site", found.site());
        vars.put("site_name", String.valueOf(args.get("site")));
        vars.put("start", found.start().toString());
        // Left over from an earlier search in an idle conversation, these would narrow the slots offered.
        vars.put("day", LocalDate.ofInstant(clock.instant(), settings.zone()).toString());
        vars.put("part", "");
        return new Reply(language, List.of(texts.text(language, "reminder.reply.move.sms", args)), "appointment:move_find", vars);
    }

    private Reply say(String language, String key, String reference, Instant start, String site, String initials) {
        Map<String, Object> args = start == null
                ? Map.of("reference", new Reference(reference).grouped())
                : texts.args(reference, start, site, initials);
        return Reply.say(language, texts.text(language, key, args));
    }

    private void answered(long reminderId, Instant now) {
        jdbc.sql("UPDATE reminders SET answered_at = COALESCE(answered_at, :now), updated_at = :now WHERE id = :id")
                .param("now", utc(now)).param("id", reminderId).update();
    }

    /** The appointment a reminder was about, or the one that replaced it when it was moved. */
    private Optional<Current> current(String reference) {
        String ref = reference;
        for (int i = 0; i < MAX_MOVES_FOLLOWED; i++) {
            Optional<Current> row = jdbc.sql("""
                    SELECT reference, status, moved_to, site, start_at, phone, booked_by, initials, cancel_asked_at
                    FROM reminder_appointments WHERE reference = :r
                    """).param("r", ref).query(Current.class).optional();
            if (row.isEmpty()) return Optional.empty();
            if (!"MOVED".equals(row.get().status()) || row.get().movedTo() == null) return row;
            ref = row.get().movedTo();
        }
        return Optional.empty();
    }
}
