package fr.guichet.queue;

import fr.guichet.booking.Appointment;
import fr.guichet.booking.Catalogue;
import fr.guichet.booking.Site;
import fr.guichet.language.Texts;
import fr.guichet.notify.NoticeCalls;
import fr.guichet.notify.OutboundText;
import fr.guichet.notify.Outbox;
import fr.guichet.notify.QuietHours;
import fr.guichet.notify.ReminderContacts;
import fr.guichet.phone.PhoneNumber;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The texts of the queue, through the outbox (one per purpose, retried, never lost): acknowledgements of receipt
 * ({@code ack:<request>}), convocations ({@code convocation:<appointment>}) and offers ({@code offer:<appointment>}).
 * None names the procedure: it can reveal health or asylum grounds. Texts the service starts itself (convocations
 * and offers of the allocation) wait for the end of quiet hours; those that answer the person's own action go at once.
 */
@Component
class QueueNotices {
    private static final Logger log = LoggerFactory.getLogger(QueueNotices.class);

    private final Texts texts;
    private final Outbox outbox;
    private final Catalogue catalogue;
    private final QuietHours quiet;
    private final Clock clock;
    private final ZoneId zone;
    private final boolean guichetSendsConvocations;
    private final ReminderContacts contacts;
    private final NoticeCalls calls;

    QueueNotices(Texts texts, Outbox outbox, Catalogue catalogue, QuietHours quiet, Clock clock,
                 @Value("${app.time-zone:Europe/Paris}") ZoneId zone,
                 @Value("${app.booking.texts-sent-by:guichet}") String textsSentBy, ReminderContacts contacts,
                 NoticeCalls calls) {
        this.contacts = contacts;
        this.calls = calls;
        this.texts = texts;
        this.outbox = outbox;
        this.catalogue = catalogue;
        this.quiet = quiet;
        this.clock = clock;
        this.zone = zone;
        // "backend": the outside booking backend sends its own convocations; Guichet would send a second one.
        this.guichetSendsConvocations = !"backend".equalsIgnoreCase(textsSentBy.strip());
    }

    boolean sendsConvocations() {
        return guichetSendsConvocations;
    }

    /** The service that handles a request: its site, or the prefecture (the first site) when any site will do. */
    Site service(String site) {
        if (site != null) {
            var found = catalogue.site(site);
            if (found.isPresent()) return found.get();
        }
        return catalogue.sites().isEmpty() ? new Site(site == null ? "" : site, site == null ? "" : site, "", "", null, zone)
                : catalogue.sites().getFirst();
    }

    private Map<String, Object> place(Site site) {
        Map<String, Object> args = new HashMap<>();
        args.put("site", site.name());
        args.put("address", site.address());
        args.put("phone", site.phone());
        return args;
    }

    LocalDate day(Instant instant) {
        return instant.atZone(zone).toLocalDate();
    }

    /**
     * The convocation of an appointment. {@code mayAskOther}: assigned by the queue, the person may ask once for
     * another date. {@code serviceStarted}: the service sends it on its own (allocation), so it waits out quiet hours.
     */
    void convocation(Appointment a, boolean mayAskOther, boolean serviceStarted) {
        if (!guichetSendsConvocations) return;
        if (a.applicant().phone() == null) {
            log.info("Convocation {} not texted: no phone number (booked by a social worker for someone without one)", a.reference());
            return;
        }
        // A landline (the person called from it), or a number that stopped texts: a text would never arrive (the
        // outbox holds it), the convocation is a call.
        if (serviceStarted && calls.convocationInsteadOfText(a, quiet.nextAllowed(clock.instant()))) return;
        Map<String, Object> args = place(service(a.site()));
        args.put("reference", a.reference().grouped());
        args.put("start", a.start());
        String language = a.applicant().language();
        String body = texts.text(language, mayAskOther ? "queue.convocation.queue" : "queue.convocation", args);
        outbox.enqueue(new OutboundText(a.applicant().phone(), "convocation:" + a.reference().value(), body, language,
                serviceStarted ? quiet.nextAllowed(clock.instant()) : null));
    }

    /** The offer of a held place, to accept by reply before {@code until}. */
    void offer(Appointment a, Instant sendAt, Instant until) {
        Map<String, Object> args = place(service(a.site()));
        args.put("reference", a.reference().grouped());
        args.put("start", a.start());
        args.put("until", until);
        String language = a.applicant().language();
        outbox.enqueue(new OutboundText(a.applicant().phone(), "offer:" + a.reference().value(),
                texts.text(language, "queue.offer", args), language, sendAt));
    }

    /** The offer of this held place ran out unanswered: the person stays on the list and will get another. */
    void offerLapsed(Appointment a, Instant sendAt) {
        if (a.applicant().phone() == null) return;
        String language = a.applicant().language();
        outbox.enqueue(new OutboundText(a.applicant().phone(), "offer-lapsed:" + a.reference().value(),
                texts.text(language, "queue.offer.expired", Map.of()), language, sendAt));
    }

    /**
     * The acknowledgement of receipt (CRPA L. 112-3): reference, date and time received, the service, what happens
     * next and when. It answers the person's own request, so it goes at once; a follow-up opened by staff
     * (récépissé) is the service's own text and waits out quiet hours.
     */
    void acknowledge(QueueEntry entry, DelayEstimates.Basis delay) {
        PhoneNumber to = entry.applicant().phone();
        String language = entry.applicant().language();
        if (to == null) {
            // A person without a phone, put in the queue by a social worker: the worker keeps the written record.
            Optional<ReminderContacts.Contact> worker = entry.byWorker() ? contacts.worker(entry.bookedBy()) : Optional.empty();
            if (worker.isEmpty()) return;
            to = worker.get().phone();
            language = worker.get().language();
        }
        Site site = service(entry.site());
        Map<String, Object> args = place(site);
        args.put("reference", entry.reference().grouped());
        args.put("received", entry.receivedAt());
        String key;
        Instant sendAt = null;
        switch (entry.kind()) {
            case RENEWAL -> {
                key = "queue.ack.renewal";
                args.put("expiry", entry.documentExpiry());
                args.put("convoke_by", day(entry.convokeBy()));
            }
            case RECEPISSE -> {
                key = "queue.ack.recepisse";
                args.put("expiry", entry.documentExpiry());
                args.put("convoke_by", day(entry.convokeBy()));
                sendAt = quiet.nextAllowed(clock.instant());
            }
            default -> {
                key = "queue.ack";
                args.put("delay", delay(language, delay.estimate()));
            }
        }
        outbox.enqueue(new OutboundText(to, "ack:" + entry.reference().value(), texts.text(language, key, args), language, sendAt));
    }

    /**
     * A decision closed the récépissé file of this follow-up, still waiting or offered: the convocation announced by
     * its acknowledgement will not come. The decision itself is the prefecture's to notify (in writing, with the means
     * of appeal), so the text does not say what it is. The service's own text: it waits out quiet hours.
     */
    void recepisseClosed(QueueEntry entry) {
        if (entry.applicant().phone() == null) return;
        String language = entry.applicant().language();
        outbox.enqueue(new OutboundText(entry.applicant().phone(), "recepisse-closed:" + entry.reference().value(),
                texts.text(language, "queue.recepisse.closed", Map.of("reference", entry.reference().grouped())), language,
                quiet.nextAllowed(clock.instant())));
    }

    String delay(String language, DelayEstimates.Estimate estimate) {
        return switch (estimate) {
            case DelayEstimates.Estimate.Soon s -> texts.text(language, "queue.delay.soon", Map.of());
            case DelayEstimates.Estimate.Weeks w -> texts.text(language, "queue.delay.weeks", Map.of("weeks", w.weeks()));
            case DelayEstimates.Estimate.Unknown u -> texts.text(language, "queue.delay.unknown", Map.of());
        };
    }

    /** The longer text of the acknowledgement (reply INFO): the CRPA mentions, in two texts. */
    java.util.List<String> legalText(QueueEntry entry, String language) {
        Site site = service(entry.site());
        Map<String, Object> args = place(site);
        args.put("reference", entry.reference().grouped());
        args.put("received", entry.receivedAt());
        return java.util.List.of(texts.text(language, "queue.info.receipt", args), texts.text(language, "queue.info.rights", args));
    }

    String text(String language, String key, Map<String, ?> args) {
        return texts.text(language, key, args);
    }
}
