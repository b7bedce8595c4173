package fr.guichet.booking;

import java.util.Objects;

/**
 * Who texts people about their appointments, so nobody gets two of each ({@code app.booking.texts-sent-by},
 * {@code APP_BOOKING_TEXTS_SENT_BY}: {@code guichet}, the default, or {@code backend}).
 *
 * <p>With {@link Side#BACKEND} the outside backend (RDV Service Public, users created with {@code notify_by_sms})
 * sends the convocation, the reminders and the change and cancellation notices: Guichet must send none of these
 * (check {@link #guichetSendsAppointmentTexts()} before sending one). Guichet still answers in the conversation and
 * still sends what the backend cannot know about (a queued booking that could not be made). With the embedded
 * backend this is always {@link Side#GUICHET}.
 */
public record TextsSentBy(Side side) {
    public static final String PROPERTY = "app.booking.texts-sent-by";

    public enum Side { GUICHET, BACKEND }

    public TextsSentBy {
        Objects.requireNonNull(side, "side");
    }

    /** Whether Guichet sends convocations, reminders and change or cancellation notices. */
    public boolean guichetSendsAppointmentTexts() {
        return side == Side.GUICHET;
    }
}
