package fr.guichet.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.guichet.booking.QueuedRequest;
import fr.guichet.booking.Slot;
import fr.guichet.phone.PhoneNumber;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A place held for an offer is not the person's appointment yet: no reminder of it goes out before they accept. With
 * the default offsets (2 days, 16 hours) and notice (2 days) no reminder can fall inside the 24 hours an offer stays
 * open; a three-day reminder can.
 */
@TestPropertySource(properties = "app.reminder-offsets=P3D,PT16H")
class OfferReminderTest extends QueueServiceTest {

    @Test
    void aHeldPlaceIsNotRemindedUntilTheOfferIsAccepted() {
        clock.set(START);  // Monday 09:30
        PhoneNumber offered = freshMobile();
        QueuedRequest request = queue("QOFFER", "AES_VIE_PRIVEE", offered, "fr", null);
        // Thursday 11:00 (an offer needs its 24 h to answer plus the 2 days' notice): its three-day reminder falls on
        // Monday 11:00, while the offer is still open.
        open("QOFFER", at(today().plusDays(3), 11, 0), 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> status(request).equals("OFFERED"));
        String held = appointmentOf(request);
        // A first-come appointment whose reminder falls a quarter of an hour later: the dispatcher's witness.
        Slot other = open("QOFFER", at(today().plusDays(3), 11, 15), 1);
        String witness = bookFirstCome(other.id(), freshMobile()).appointment().reference().value();
        assertThat(reminderStatus(held)).isEqualTo("SCHEDULED");

        clock.set(at(today(), 11, 20));
        await().atMost(Duration.ofSeconds(30)).until(() -> reminderStatus(witness).equals("TEXTED"));
        // Claimed in due order, the held place's reminder would have gone first: it waits while the offer is open.
        assertThat(reminderStatus(held)).isEqualTo("SCHEDULED");
        assertThat(outbox("reminder:" + held + ":P3D")).isEmpty();

        assertThat(sms(offered, "ACCEPTER")).startsWith("C'est confirmé : rendez-vous le jeudi 4 mars à 11:00");
        await().atMost(Duration.ofSeconds(30)).until(() -> reminderStatus(held).equals("TEXTED"));
        assertThat(outbox("reminder:" + held + ":P3D").orElseThrow().to()).isEqualTo(offered.e164());
    }

    String reminderStatus(String appointment) {
        return jdbc.sql("SELECT status FROM reminders WHERE reference = :r AND offset_iso = 'P3D'").param("r", appointment)
                .query(String.class).single();
    }
}
