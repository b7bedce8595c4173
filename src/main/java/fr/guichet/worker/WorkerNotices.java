package fr.guichet.worker;

import fr.guichet.booking.Applicant;
import fr.guichet.booking.Appointment;
import fr.guichet.booking.AppointmentBooked;
import fr.guichet.booking.BookedBy;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.Catalogue;
import fr.guichet.booking.Site;
import fr.guichet.booking.TextsSentBy;
import fr.guichet.language.Texts;
import fr.guichet.notify.OutboundText;
import fr.guichet.notify.NoticeCalls;
import fr.guichet.notify.Outbox;
import fr.guichet.notify.QuietHours;
import fr.guichet.notify.ReminderContacts;
import fr.guichet.phone.PhoneNumber;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The texts a booking on behalf sends, through the outbox (so at most once per purpose, retried, never lost):
 * the convocation to the person in the person's language ({@code convocation:<reference>}) and a short copy to the
 * worker in the worker's language ({@code worker-copy:<reference>}). A person with no phone: the convocation goes to
 * the worker, naming the person by initials only. No procedure in any text.
 */
@Component
class WorkerNotices {
    private static final Logger log = LoggerFactory.getLogger(WorkerNotices.class);
    private final Outbox outbox;
    private final Texts texts;
    private final Catalogue catalogue;
    private final TextsSentBy sentBy;
    private final WorkerRegistry registry;
    private final ReminderContacts contacts;
    private final QuietHours quiet;
    private final Clock clock;
    private final NoticeCalls calls;

    WorkerNotices(Outbox outbox, Texts texts, Catalogue catalogue, TextsSentBy sentBy, WorkerRegistry registry,
                  ReminderContacts contacts, QuietHours quiet, Clock clock, NoticeCalls calls) {
        this.calls = calls;
        this.sentBy = sentBy;
        this.registry = registry;
        this.contacts = contacts;
        this.quiet = quiet;
        this.clock = clock;
        this.outbox = outbox;
        this.texts = texts;
        this.catalogue = catalogue;
    }

    private String siteName(Appointment a) {
        return catalogue.site(a.site()).map(Site::name).orElse(a.site());
    }

    /**
     * How texts to a worker name the person: by initials, or, when no name was taken (booked by phone, where a name
     * cannot be typed), by birth date ("la personne née le 12/03/1990").
     */
    String who(Applicant applicant, String language) {
        String initials = applicant.initials();
        if (!initials.isEmpty()) return initials;
        return texts.text(language, "worker.person.unnamed", Map.of("birth_date", applicant.birthDate()));
    }

    Map<String, String> appointmentVars(Appointment a) {
        return Map.of("reference", a.reference().grouped(), "slot_start", a.start().toString(), "slot_site_name", siteName(a));
    }

    /** True when the person's convocation is a call (texts do not reach their number). */
    boolean booked(Appointment a, WorkerRegistry.Account worker, PhoneNumber workerPhone, String conversationLanguage) {
        return convocation(a, worker.organisation(), workerPhone, worker.language() == null ? conversationLanguage : worker.language(), null);
    }

    /**
     * The queue gave a place to a request a worker recorded (booked by {@code worker:<id>}, channel QUEUE): the same
     * texts as a booking on behalf, to the number the worker last used; the service sends them on its own, so they
     * wait out quiet hours. A deactivated worker gets nothing: the person with a phone still gets the convocation.
     */
    @EventListener
    void allocated(AppointmentBooked event) {
        Appointment a = event.appointment();
        OptionalLong workerId = BookedBy.workerId(a.bookedBy());
        if (a.channel() != BookingChannel.QUEUE || workerId.isEmpty()) return;
        String organisation = registry.find(workerId.getAsLong()).map(Worker::organisation).orElse("");
        Optional<ReminderContacts.Contact> worker = contacts.worker(a.bookedBy());
        if (worker.isEmpty()) log.warn("Queue convocation {}: its worker is deactivated, no text to the worker", a.reference());
        convocation(a, organisation, worker.map(ReminderContacts.Contact::phone).orElse(null),
                worker.map(ReminderContacts.Contact::language).orElse(a.applicant().language()), quiet.nextAllowed(clock.instant()));
    }

    /**
     * The convocation to the person and a copy to the worker; for a person without a phone, the convocation to the
     * worker. No worker number ({@code null}, a deactivated worker): only the person's convocation. True when the
     * person's convocation is a call.
     */
    private boolean convocation(Appointment a, String organisation, PhoneNumber workerPhone, String workerLanguage, Instant notBefore) {
        Map<String, Object> args = Map.of("start", a.start(), "site", siteName(a), "reference", a.reference().grouped(),
                "organisation", organisation, "initials", who(a.applicant(), workerLanguage));
        PhoneNumber person = a.applicant().phone();
        boolean byCall = sentBy.guichetSendsAppointmentTexts()
                && calls.convocationInsteadOfText(a, notBefore == null ? clock.instant() : notBefore);
        if (person != null && sentBy.guichetSendsAppointmentTexts() && !byCall) {
            outbox.enqueue(new OutboundText(person, "convocation:" + a.reference().value(),
                    texts.text(a.applicant().language(), "worker.convocation", args), a.applicant().language(), notBefore));
        }
        if (workerPhone == null) return byCall;
        if (person != null) {
            outbox.enqueue(new OutboundText(workerPhone, "worker-copy:" + a.reference().value(),
                    texts.text(workerLanguage, "worker.copy", args), workerLanguage, notBefore));
        } else {
            outbox.enqueue(new OutboundText(workerPhone, "convocation:" + a.reference().value(),
                    texts.text(workerLanguage, "worker.convocation.no_phone", args), workerLanguage, notBefore));
        }
        return byCall;
    }

    /** The person (or the worker, for a person without a phone) is told of a cancellation made by the worker. */
    void cancelled(Appointment a, WorkerRegistry.Account worker, PhoneNumber workerPhone, String conversationLanguage) {
        String workerLanguage = worker.language() == null ? conversationLanguage : worker.language();
        Map<String, Object> args = Map.of("start", a.start(), "reference", a.reference().grouped(), "organisation", worker.organisation(),
                "initials", who(a.applicant(), workerLanguage));
        PhoneNumber person = a.applicant().phone();
        String purpose = "cancellation:" + a.reference().value();
        if (person != null) {
            if (sentBy.guichetSendsAppointmentTexts() && !calls.cancellationInsteadOfText(a, clock.instant())) {
                outbox.enqueue(new OutboundText(person, purpose, texts.text(a.applicant().language(), "worker.cancellation", args),
                        a.applicant().language(), null));
            }
        } else {
            outbox.enqueue(new OutboundText(workerPhone, purpose, texts.text(workerLanguage, "worker.cancellation.no_phone", args),
                    workerLanguage, null));
        }
    }
}
