package fr.guichet.queue;

import fr.guichet.booking.Appointment;
import fr.guichet.booking.AppointmentStatus;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.BookingOutcome;
import fr.guichet.booking.BookingPort;
import fr.guichet.booking.Slot;
import fr.guichet.booking.SlotQuery;
import fr.guichet.conversation.Channel;
import fr.guichet.conversation.NoticeReplies;
import java.time.Clock;
import fr.guichet.phone.PhoneNumber;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Replies to the queue's texts, understood before the flows, with or without a conversation open: INFO (the legal
 * text of the acknowledgement), DOCS (what to bring to the next appointment, or for the request waiting), accepting
 * an offer, asking once for another date after a convocation of the queue. Words in every language at once
 * ({@link ReplyWords}); the bare digit 1 accepts an offer only outside a conversation, where it cannot be the answer
 * to a question. Inside one, the question in progress is asked again after the answer (continueAt stays null).
 * A message that is none of these, or from a number with nothing to answer about, goes to the flows.
 */
@Component
class QueueReplies implements NoticeReplies {
    private final ReplyWords words;
    private final QueueEntries entries;
    private final Offers offers;
    private final QueueNotices notices;
    private final DelayEstimates estimates;
    private final BookingPort port;
    private final QueueProperties properties;
    private final Clock clock;
    private final ZoneId zone;

    QueueReplies(ReplyWords words, QueueEntries entries, Offers offers, QueueNotices notices, DelayEstimates estimates,
                 BookingPort port, QueueProperties properties, Clock clock, @Value("${app.time-zone:Europe/Paris}") ZoneId zone) {
        this.words = words;
        this.entries = entries;
        this.offers = offers;
        this.notices = notices;
        this.estimates = estimates;
        this.port = port;
        this.properties = properties;
        this.clock = clock;
        this.zone = zone;
    }

    /** An open offer is answered by a bare 1. */
    @Override
    public Optional<Instant> digitAnswerableSince(PhoneNumber phone) {
        return offers.openSince(phone);
    }

    /** Only SMS, and only the queue's reply words or, outside a conversation, a bare 1: what {@link #reply} acts on. */
    @Override
    public boolean mayTake(Query query) {
        if (query.channel() != Channel.SMS) return false;
        String w = query.words();
        return words.is(ReplyWords.Kind.INFO, w) || words.is(ReplyWords.Kind.DOCS, w) || words.is(ReplyWords.Kind.ACCEPT, w)
                || (!query.inConversation() && "1".equals(w)) || words.is(ReplyWords.Kind.OTHER, w);
    }

    @Override
    public Optional<Reply> reply(Query query) {
        // The queue texts by SMS; on a call, digits and words belong to the voice menus.
        if (query.channel() != Channel.SMS) return Optional.empty();
        String w = query.words();
        if (words.is(ReplyWords.Kind.INFO, w)) return info(query);
        if (words.is(ReplyWords.Kind.DOCS, w)) return documents(query);
        if (words.is(ReplyWords.Kind.ACCEPT, w)) return accept(query, true);
        if (!query.inConversation() && "1".equals(w)) return accept(query, false);
        if (words.is(ReplyWords.Kind.OTHER, w)) return another(query);
        return Optional.empty();
    }

    private String language(Query query, String noticeLanguage) {
        return query.language() != null ? query.language() : noticeLanguage;
    }

    /** The CRPA mentions of the person's latest request. */
    private Optional<Reply> info(Query query) {
        return entries.latestFor(query.from(), List.of("WAITING", "OFFERED", "CONVOKED"))
                .map(e -> {
                    String language = language(query, e.applicant().language());
                    return new Reply(language, notices.legalText(e, language), null, Map.of());
                });
    }

    /** The full list of documents of the next appointment, or of the request waiting. Sent only on the person's ask. */
    private Optional<Reply> documents(Query query) {
        List<Appointment> upcoming = port.upcoming(query.from());
        if (!upcoming.isEmpty()) {
            Appointment next = upcoming.getFirst();
            String language = language(query, next.applicant().language());
            return Optional.of(Reply.say(language, notices.text(language, "procedure." + next.procedure() + ".documents", Map.of())));
        }
        return entries.latestFor(query.from(), List.of("WAITING", "OFFERED"))
                .map(e -> {
                    String language = language(query, e.applicant().language());
                    return Reply.say(language, notices.text(language, "procedure." + e.procedure() + ".documents", Map.of()));
                });
    }

    /**
     * Accepts the open offer (a conditional update: an offer that lapsed meanwhile cannot be accepted). {@code explicit}:
     * the accept word, which gets an answer even when nothing is open; a bare 1 with no offer open goes to the flows.
     */
    private Optional<Reply> accept(Query query, boolean explicit) {
        Instant now = clock.instant();
        Optional<Offers.Offer> open = offers.openFor(query.from());
        if (open.isPresent() && offers.accept(open.get().id(), now)) {
            entries.offerAccepted(open.get().requestId(), now);
            Optional<Appointment> held = port.find(open.get().appointment(), query.from());
            if (held.isPresent()) {
                Appointment a = held.get();
                // It answers the person's reply: at once, even at night.
                notices.convocation(a, false, false);
                String language = language(query, a.applicant().language());
                return Optional.of(Reply.say(language, notices.text(language, "queue.offer.accepted",
                        Map.of("reference", a.reference().grouped(), "start", a.start()))));
            }
        }
        if (!explicit) return Optional.empty();
        Optional<Offers.Offer> closed = open.isPresent() ? open : offers.lastClosedFor(query.from());
        if (closed.isEmpty()) return Optional.empty();
        String language = entries.latestFor(query.from(), List.of("WAITING", "OFFERED", "CONVOKED"))
                .map(e -> language(query, e.applicant().language()))
                .orElse(query.language() == null ? "fr" : query.language());
        return Optional.of(Reply.say(language, notices.text(language, "queue.offer.expired", Map.of())));
    }

    /**
     * Once per convocation of the queue, another date: the earliest free place of the same procedure at the same
     * site on another day, through a move (the old place is freed only if the new one is taken, and then goes to the
     * queue). The new convocation is texted by the move's listener.
     */
    private Optional<Reply> another(Query query) {
        Optional<QueueEntry> convoked = entries.latestFor(query.from(), List.of("CONVOKED"));
        if (convoked.isEmpty() || convoked.get().appointment() == null) return Optional.empty();
        QueueEntry entry = convoked.get();
        Optional<Appointment> current = port.find(entry.appointment(), query.from());
        Instant now = clock.instant();
        if (current.isEmpty() || current.get().status() != AppointmentStatus.BOOKED || current.get().channel() != BookingChannel.QUEUE
                || !current.get().start().isAfter(now)) {
            return Optional.empty();
        }
        Appointment a = current.get();
        String language = language(query, a.applicant().language());
        if (entry.otherAsked()) return Optional.of(Reply.say(language, notices.text(language, "queue.other.used", Map.of())));
        LocalDate day = a.start().atZone(zone).toLocalDate();
        Instant from = estimates.earliest(a.site(), now);
        Instant to = now.atZone(zone).plus(properties.allocationHorizon()).toInstant();
        List<Slot> slots = to.isAfter(from) ? port.findSlots(new SlotQuery(a.site(), a.procedure(), from, to, 50)) : List.of();
        for (Slot slot : slots) {
            if (slot.id() == a.slotId() || slot.start().atZone(zone).toLocalDate().equals(day)) continue;
            BookingOutcome moved = port.move(a.reference(), query.from(), slot.id(), "queue-other:" + a.reference().value() + ":" + slot.id());
            if (moved instanceof BookingOutcome.Booked b) {
                entries.markOtherAsked(entry.id(), now);
                return Optional.of(Reply.say(language, notices.text(language, "queue.other.done",
                        Map.of("reference", b.appointment().reference().grouped(), "start", b.appointment().start()))));
            }
            if (!(moved instanceof BookingOutcome.SlotFull)) break;
        }
        return Optional.of(Reply.say(language, notices.text(language, "queue.other.none", Map.of("start", a.start()))));
    }
}
