package fr.guichet.booking.rdvsp;

import fr.guichet.booking.Appointment;
import fr.guichet.booking.Catalogue;
import fr.guichet.booking.Site;
import fr.guichet.booking.TextsSentBy;
import fr.guichet.language.Texts;
import fr.guichet.notify.NoticeCalls;
import fr.guichet.notify.OutboundText;
import fr.guichet.notify.Outbox;
import fr.guichet.notify.TextReach;
import fr.guichet.phone.PhoneNumber;
import java.time.Clock;
import java.util.Map;

/**
 * The texts the adapter sends, through the outbox, in the person's language. A booking it makes (a replay included)
 * gets the convocation every booking gets (fr.guichet.queue). Purpose keys are those of the convocations and
 * cancellation notices ({@code convocation:<reference>}, {@code cancellation:<reference>}), so a person gets one of
 * each whichever part of Guichet enqueues it first. With {@link TextsSentBy.Side#BACKEND} the
 * backend sends the appointment texts itself; Guichet then only sends what the backend cannot know: that a queued
 * booking could not be made. Never a name or a procedure in a text. A person texts do not reach (a landline, a
 * number that texted STOP) is called instead of texted about a cancellation or a move ({@link NoticeCalls}).
 */
final class RdvspNotices {
    private final Outbox outbox;
    private final Texts texts;
    private final Catalogue catalogue;
    private final TextsSentBy sentBy;
    private final TextReach reach;
    private final NoticeCalls calls;
    private final Clock clock;

    RdvspNotices(Outbox outbox, Texts texts, Catalogue catalogue, TextsSentBy sentBy, TextReach reach, NoticeCalls calls,
                 Clock clock) {
        this.reach = reach;
        this.calls = calls;
        this.clock = clock;
        this.outbox = outbox;
        this.texts = texts;
        this.catalogue = catalogue;
        this.sentBy = sentBy;
    }

    /** A booking kept while the backend was down could not be made (the slot was taken or is past). */
    void notBooked(PhoneNumber phone, String language, String attemptKey) {
        if (phone == null) return;
        outbox.enqueue(new OutboundText(phone, "rdvsp-not-booked:" + RdvspBookingPort.digest(attemptKey),
                texts.text(language, "backend.not_booked", Map.of()), language, null));
    }

    /** The appointment was cancelled at the backend (on its web site, by its agents). */
    void cancelled(Appointment a) {
        if (sentBy.guichetSendsAppointmentTexts() && calls.cancellationInsteadOfText(a, clock.instant())) return;
        appointmentText(a, "cancellation:" + a.reference().value(), "backend.cancelled");
    }

    /**
     * The appointment was moved at the backend; {@code to} carries the new time and reference. Sent before the move is
     * published, so this text, which says what happened, takes the new appointment's convocation key. Not to a number
     * texts do not reach: that person gets {@link #movedByCall} once the move is published.
     */
    void moved(Appointment to) {
        if (byCall(to)) return;
        appointmentText(to, "convocation:" + to.reference().value(), "backend.moved");
    }

    /** After the move is published (the new appointment's reminders are planned): the convocation call to it. */
    void movedByCall(Appointment to) {
        if (byCall(to) && !calls.convocation(to.reference(), clock.instant())) {
            appointmentText(to, "convocation:" + to.reference().value(), "backend.moved");
        }
    }

    private boolean byCall(Appointment a) {
        return sentBy.guichetSendsAppointmentTexts() && reach.textsMiss(a.applicant().phone());
    }

    private void appointmentText(Appointment a, String purpose, String key) {
        PhoneNumber phone = a.applicant().phone();
        if (phone == null || !sentBy.guichetSendsAppointmentTexts()) return;
        String site = catalogue.site(a.site()).map(Site::name).orElse(a.site());
        String language = a.applicant().language();
        outbox.enqueue(new OutboundText(phone, purpose, texts.text(language, key,
                Map.of("start", a.start(), "site", site, "reference", a.reference().grouped())), language, null));
    }
}
