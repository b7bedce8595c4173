package fr.guichet.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.guichet.booking.BookingOutcome;
import fr.guichet.booking.QueuedRequest;
import fr.guichet.booking.Slot;
import fr.guichet.phone.PhoneNumber;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Allocation over the real service: the order of service (documents expiring soonest, then order of arrival), a
 * freed place going to the first queued request inside the cancellation itself, the convocation's content, the one
 * other date a person may ask for, and convocations decided at night waiting for the morning.
 */
class AllocationTest extends QueueServiceTest {

    @Test
    void servesDocumentsExpiringSoonestFirstThenOrderOfArrival() {
        clock.set(START);
        LocalDate today = today();
        // Arrival order: a (no document), b (expires in 10 weeks), c (no document), d (expires in 3 weeks),
        // e (expires in a year: outside the four-month window, so an ordinary arrival).
        QueuedRequest a = queue("QA", "AES_VIE_PRIVEE", freshMobile(), "fr", null);
        clock.advance(Duration.ofMinutes(5));
        QueuedRequest b = queue("QA", "AES_VIE_PRIVEE", freshMobile(), "ar", today.plusWeeks(10));
        clock.advance(Duration.ofMinutes(5));
        QueuedRequest c = queue("QA", "AES_VIE_PRIVEE", freshMobile(), "en", null);
        clock.advance(Duration.ofMinutes(5));
        QueuedRequest d = queue("QA", "AES_VIE_PRIVEE", freshMobile(), "fr", today.plusWeeks(3));
        clock.advance(Duration.ofMinutes(5));
        QueuedRequest e = queue("QA", "AES_VIE_PRIVEE", freshMobile(), "fr", today.plusYears(1));
        assertThat(List.of(a, b, c, d, e)).allSatisfy(r -> assertThat(status(r)).isEqualTo("WAITING"));

        // Four places, opened in one go (the allocation runs when they open): the earliest goes to d, then b, a, c.
        Instant first = at(today.plusDays(7), 10, 0);
        List<Slot> slots = new org.springframework.transaction.support.TransactionTemplate(transactions).execute(t -> List.of(
                open("QA", first.plusSeconds(3600 * 3), 1), open("QA", first, 1),
                open("QA", first.plusSeconds(3600), 1), open("QA", first.plusSeconds(3600 * 2), 1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of(a, b, c, d).stream().allMatch(r -> status(r).equals("CONVOKED")));
        assertThat(status(e)).as("fifth in the order, no place left").isEqualTo("WAITING");
        assertThat(slotStart(appointmentOf(d))).isEqualTo(first);
        assertThat(slotStart(appointmentOf(b))).isEqualTo(first.plusSeconds(3600));
        assertThat(slotStart(appointmentOf(a))).isEqualTo(first.plusSeconds(3600 * 2));
        assertThat(slotStart(appointmentOf(c))).isEqualTo(first.plusSeconds(3600 * 3));
        assertThat(slots).hasSize(4);
        // Named convocations: the booking is the person's own, channel QUEUE.
        assertThat(jdbc.sql("SELECT channel || ' ' || booked_by || ' ' || phone FROM appointments WHERE reference = :r")
                .param("r", appointmentOf(d)).query(String.class).single()).isEqualTo("QUEUE queue " + phoneOf(d));
        withdraw(e);
    }

    @Test
    void theOrderOfArrivalPolicyIgnoresExpiries() {
        clock.set(START.plus(Duration.ofDays(1)));
        QueueProperties arrival = new QueueProperties(QueueProperties.Policy.ARRIVAL, java.time.Period.ofMonths(4), Duration.ofDays(2),
                java.time.Period.ofMonths(6), Duration.ofHours(24), 3, Duration.ofMinutes(5), java.time.Period.ofMonths(4),
                java.time.Period.ofMonths(2), java.time.Period.ofDays(21), "RECEPISSE_RENOUVELLEMENT", java.time.Period.ofDays(28),
                Duration.ofDays(14), Map.of());
        QueueEntries byArrival = new QueueEntries(jdbc, new QueueOrder(arrival, clock, PARIS));
        // A procedure the tests' slots never accept: the two requests only need ordering.
        QueuedRequest older = queue("QD", "CHANGEMENT_STATUT", freshMobile(), "fr", null);
        clock.advance(Duration.ofMinutes(1));
        QueuedRequest urgent = queue("QD", "CHANGEMENT_STATUT", freshMobile(), "fr", today().plusWeeks(2));
        java.util.function.Function<QueueEntries, String> first = entries -> new org.springframework.transaction.support.TransactionTemplate(
                transactions).execute(s -> entries.nextForPlace("QD", List.of("CHANGEMENT_STATUT"), clock.instant(), List.of())
                .orElseThrow().reference().value());
        assertThat(first.apply(byArrival)).isEqualTo(older.reference().value());
        assertThat(first.apply(entries)).as("the configured expiry-first policy").isEqualTo(urgent.reference().value());
        withdraw(older);
        withdraw(urgent);
    }

    @Test
    void aCancellationReachesTheFirstQueuedRequestInTheSameTransaction() {
        clock.set(START.plus(Duration.ofDays(2)));
        Slot slot = open("QB", at(today().plusDays(9), 14, 0), 1);
        PhoneNumber firstCome = freshMobile();
        BookingOutcome.Booked booked = bookFirstCome(slot.id(), firstCome);
        PhoneNumber waiting = freshMobile();
        QueuedRequest request = queue("QB", "AES_VIE_PRIVEE", waiting, "fr", null);
        assertThat(status(request)).isEqualTo("WAITING");

        HttpResponse<String> cancelled = api("DELETE", "/api/v1/appointments/" + booked.appointment().reference().value()
                + "?phone=" + firstCome.e164(), null, null);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);

        // No waiting: the place was given inside the cancellation's transaction, before anyone could book it.
        assertThat(status(request)).isEqualTo("CONVOKED");
        String convocation = appointmentOf(request);
        assertThat(jdbc.sql("SELECT slot_id FROM appointments WHERE reference = :r").param("r", convocation).query(Long.class).single())
                .isEqualTo(slot.id());
        assertThat(jdbc.sql("SELECT booked FROM slots WHERE id = :id").param("id", slot.id()).query(Integer.class).single()).isEqualTo(1);
        OutboxRow text = outbox("convocation:" + convocation).orElseThrow();
        assertThat(text.to()).isEqualTo(waiting.e164());
        // Daytime: the convocation goes at once.
        assertThat(text.due()).isEqualTo(clock.instant());
        assertThat(text.body()).startsWith("Convocation préfecture : ")
                .contains(fr.guichet.booking.Reference.parse(convocation).orElseThrow().grouped(), "Antenne de test B",
                        "2 rue de l'Essai, 38000 Grenoble", "à 14:00", "DOCS", "MENU", "REPORTER", "Gratuit")
                .doesNotContain("Régularisation", "vie privée", "AES_VIE_PRIVEE");
    }

    @Test
    void aPlaceTooCloseForATextToArriveStaysFreeForWhoeverBooksIt() {
        clock.set(START.plus(Duration.ofDays(3)));
        Slot tomorrow = open("QB", at(today().plusDays(1), 9, 0), 1);
        PhoneNumber firstCome = freshMobile();
        BookingOutcome.Booked booked = bookFirstCome(tomorrow.id(), firstCome);
        QueuedRequest request = queue("QB", "AES_VIE_PRIVEE", freshMobile(), "fr", null);
        assertThat(api("DELETE", "/api/v1/appointments/" + booked.appointment().reference().value() + "?phone=" + firstCome.e164(), null, null)
                .statusCode()).isEqualTo(200);
        assertThat(status(request)).isEqualTo("WAITING");
        assertThat(jdbc.sql("SELECT booked FROM slots WHERE id = :id").param("id", tomorrow.id()).query(Integer.class).single()).isZero();
        withdraw(request);
    }

    @Test
    void aPersonMayAskOnceForAnotherDateByReply() {
        clock.set(START.plus(Duration.ofDays(4)));
        LocalDate day = today().plusDays(8);
        PhoneNumber phone = freshMobile();
        QueuedRequest request = queue("QC", "AES_VIE_PRIVEE", phone, "fr", null);
        open("QC", at(day, 9, 0), 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> status(request).equals("CONVOKED"));
        String first = appointmentOf(request);
        Slot later = open("QC", at(day.plusDays(1), 11, 0), 1);
        Slot sameDay = open("QC", at(day, 15, 0), 1);

        String reply = sms(phone, "reporter");
        assertThat(reply).startsWith("C'est fait : nouvelle date le ").contains("à 11:00");
        String second = appointmentOf(request);
        assertThat(second).isNotEqualTo(first);
        assertThat(jdbc.sql("SELECT slot_id FROM appointments WHERE reference = :r").param("r", second).query(Long.class).single())
                .as("another day, not the same day").isEqualTo(later.id());
        assertThat(jdbc.sql("SELECT status FROM appointments WHERE reference = :r").param("r", first).query(String.class).single()).isEqualTo("MOVED");
        assertThat(outbox("convocation:" + second).orElseThrow().body()).contains("à 11:00").doesNotContain("REPORTER");
        assertThat(sameDay.id()).isPositive();

        assertThat(sms(phone, "REPORTER")).isEqualTo("Vous avez déjà demandé une autre date une fois. Pour annuler ce rendez-vous, envoyez MENU, puis 2.");
        assertThat(appointmentOf(request)).isEqualTo(second);
    }

    @Test
    void aConvocationDecidedAtNightWaitsForTheEndOfQuietHours() {
        LocalDate tuesday = LocalDate.of(2027, 3, 9);
        clock.set(at(tuesday, 22, 15));
        QueuedRequest request = queue("QC", "REMISE_TITRE", freshMobile(), "fr", null);
        open("QC", at(tuesday.plusDays(7), 10, 30), 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> status(request).equals("CONVOKED"));
        assertThat(outbox("convocation:" + appointmentOf(request)).orElseThrow().due()).isEqualTo(at(tuesday.plusDays(1), 9, 0));
        // The acknowledgement answers the person's own request: at once.
        assertThat(outbox("ack:" + request.reference().value()).orElseThrow().due()).isEqualTo(at(tuesday, 22, 15));
    }

    private String phoneOf(QueuedRequest request) {
        return request.applicant().phone().e164();
    }

    private void withdraw(QueuedRequest request) {
        jdbc.sql("UPDATE requests SET status = 'WITHDRAWN' WHERE reference = :r").param("r", request.reference().value()).update();
    }

    @org.springframework.beans.factory.annotation.Autowired QueueEntries entries;
    @org.springframework.beans.factory.annotation.Autowired org.springframework.transaction.PlatformTransactionManager transactions;
}
