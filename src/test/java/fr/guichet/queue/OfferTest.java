package fr.guichet.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.guichet.booking.QueuedRequest;
import fr.guichet.booking.Slot;
import fr.guichet.phone.PhoneNumber;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A site in {@code offer} mode (QOFFER): the first request is offered the place, held for it; silence for the offer
 * delay passes it to the next request and the first waits again; a bare 1 accepts only outside a conversation.
 */
class OfferTest extends QueueServiceTest {

    @Test
    void anUnansweredOfferPassesToTheNextRequestWhoAcceptsByReply() {
        clock.set(START.plus(Duration.ofDays(10)));
        Instant offeredAt = clock.instant();
        PhoneNumber silent = freshMobile();
        PhoneNumber answers = freshMobile();
        QueuedRequest first = queue("QOFFER", "AES_VIE_PRIVEE", silent, "fr", null);
        clock.advance(Duration.ofMinutes(1));
        QueuedRequest second = queue("QOFFER", "AES_VIE_PRIVEE", answers, "en", null);
        Slot slot = open("QOFFER", at(today().plusDays(10), 10, 0), 1);

        await().atMost(Duration.ofSeconds(30)).until(() -> status(first).equals("OFFERED"));
        String held = appointmentOf(first);
        assertThat(status(second)).isEqualTo("WAITING");
        assertThat(jdbc.sql("SELECT status || ' ' || booked_by || ' ' || slot_id FROM appointments WHERE reference = :r").param("r", held)
                .query(String.class).single()).isEqualTo("BOOKED queue:offer " + slot.id());
        OutboxRow offer = outbox("offer:" + held).orElseThrow();
        assertThat(offer.to()).isEqualTo(silent.e164());
        assertThat(offer.body()).startsWith("Préfecture : une place pour vous le ").contains("à 10:00", "Antenne de test des offres",
                "répondez 1 ou ACCEPTER avant le", "Gratuit").doesNotContain("Régularisation");
        assertThat(outbox("convocation:" + held)).as("no convocation before the offer is accepted").isEmpty();
        Instant expires = jdbc.sql("SELECT expires_at FROM queue_offers WHERE appointment = :a").param("a", held)
                .query((rs, n) -> rs.getObject(1, java.time.OffsetDateTime.class).toInstant()).single();
        assertThat(expires).isEqualTo(offeredAt.plus(Duration.ofMinutes(1)).plus(Duration.ofHours(24)));

        // A day of silence: the held place is released and goes to the next request; the first waits again.
        clock.advance(Duration.ofHours(25));
        allocator.sweep();
        await().atMost(Duration.ofSeconds(30)).until(() -> status(second).equals("OFFERED"));
        assertThat(status(first)).isEqualTo("WAITING");
        assertThat(jdbc.sql("SELECT status FROM appointments WHERE reference = :r").param("r", held).query(String.class).single()).isEqualTo("CANCELLED");
        assertThat(jdbc.sql("SELECT status FROM queue_offers WHERE appointment = :a").param("a", held).query(String.class).single()).isEqualTo("LAPSED");
        OutboxRow lapsed = outbox("offer-lapsed:" + held).orElseThrow();
        assertThat(lapsed.to()).isEqualTo(silent.e164());
        assertThat(lapsed.body()).isEqualTo("Cette proposition n'est plus valable. Votre demande reste sur la liste d'attente : "
                + "une autre place vous sera proposée par SMS.");
        String offeredToSecond = appointmentOf(second);
        assertThat(jdbc.sql("SELECT slot_id FROM appointments WHERE reference = :r").param("r", offeredToSecond).query(Long.class).single())
                .isEqualTo(slot.id());
        assertThat(outbox("offer:" + offeredToSecond).orElseThrow().body()).startsWith("Prefecture: a place for you on ");

        // Inside a conversation a bare 1 is the answer to the question, not an acceptance.
        assertThat(sms(answers, "GB", "Hello")).contains("English");
        assertThat(sms(answers, "GB", "1")).contains("What would you like to do?");
        assertThat(status(second)).isEqualTo("OFFERED");
        // The person has written since the offer: a bare 1 at the main menu is the menu's 1 (book), not the offer's.
        assertThat(sms(answers, "GB", "1")).contains("What is your request about?");
        assertThat(status(second)).isEqualTo("OFFERED");
        // The reply word is taken even in the middle of a question, which is asked again after the answer.
        String accepted = sms(answers, "GB", "ACCEPT");
        assertThat(accepted).startsWith("Confirmed: appointment on ").contains(fr.guichet.booking.Reference.parse(offeredToSecond).orElseThrow().grouped());
        assertThat(status(second)).isEqualTo("CONVOKED");
        OutboxRow convocation = outbox("convocation:" + offeredToSecond).orElseThrow();
        assertThat(convocation.to()).isEqualTo(answers.e164());
        assertThat(convocation.body()).startsWith("Prefecture appointment: ").contains("DOCS").doesNotContain("POSTPONE");

        // The first person answers too late.
        assertThat(sms(silent, "ACCEPTER")).isEqualTo("Cette proposition n'est plus valable. Votre demande reste sur la liste d'attente : "
                + "une autre place vous sera proposée par SMS.");
        assertThat(status(first)).isEqualTo("WAITING");
        jdbc.sql("UPDATE requests SET status = 'WITHDRAWN' WHERE reference = :r").param("r", first.reference().value()).update();
    }

    @Test
    void aMobileThatStoppedTextsIsConvokedByACallNotOfferedByText() {
        clock.set(START.plus(Duration.ofDays(21)).plus(Duration.ofMinutes(5)));  // a Monday morning, outside quiet hours
        PhoneNumber stopped = freshMobile();
        smsNumbers.optOut(stopped);
        convokedByACallNotOffered(stopped, 13);
    }

    @Test
    void aLandlineIsConvokedByACallNotOfferedByText() {
        clock.set(START.plus(Duration.ofDays(21)));  // a Monday, 09:30: outside quiet hours
        convokedByACallNotOffered(new PhoneNumber("+33476" + String.format("%06d", System.nanoTime() % 1_000_000)), 12);
    }

    /** A request from a number texts do not reach, given a place: no offer and no convocation text, but a call. */
    private void convokedByACallNotOffered(PhoneNumber phone, int daysAhead) {
        QueuedRequest request = queue("QOFFER", "AES_VIE_PRIVEE", phone, "fr", null);
        open("QOFFER", at(today().plusDays(daysAhead), 14, 0), 1);

        await().atMost(Duration.ofSeconds(30)).until(() -> status(request).equals("CONVOKED"));
        String appointment = appointmentOf(request);
        assertThat(outbox("offer:" + appointment)).as("an offer is accepted by text").isEmpty();
        assertThat(outbox("convocation:" + appointment)).as("a text would never arrive").isEmpty();
        // One more "reminder" of the appointment, due now (outside quiet hours): the dispatcher calls it like a reminder.
        assertThat(jdbc.sql("SELECT status || ' ' || (due_at = :now) FROM reminders WHERE reference = :r AND offset_iso = 'CONVOCATION'")
                .param("r", appointment).param("now", QueueEntries.utc(clock.instant())).query(String.class).single())
                .matches("(SCHEDULED|CALLING|NOT_PLACED|SKIPPED) true");
    }
}
