package fr.guichet.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.guichet.booking.Reference;
import fr.guichet.conversation.Channel;
import fr.guichet.conversation.FlowActions;
import fr.guichet.phone.PhoneNumber;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Renewals with the clock moved by months: a permit's expiry registered by SMS enters the queue four months before
 * it, and is convoked for an appointment before the expiry by a text sent at least two months before it; when no
 * capacity can meet that, the request is listed at {@code GET /api/v1/admin/requests/at-risk} and an ERROR line,
 * naming nobody, tells staff.
 */
@ExtendWith(OutputCaptureExtension.class)
class RenewalTest extends QueueServiceTest {
    private static final Pattern REFERENCE = Pattern.compile("(\\d{3} \\d{3} \\d{3})");
    @Autowired RenewalActions renewals;
    @Autowired AtRisk atRisk;
    @Autowired PlatformTransactionManager transactions;

    @Test
    void aRenewalRegisteredBySmsIsConvokedBeforeTheExpiryAndAtLeastTwoMonthsAhead() {
        clock.set(START.plus(Duration.ofDays(14)));
        PhoneNumber phone = freshMobile();
        sms(phone, "Bonjour");
        assertThat(sms(phone, "1")).contains("5 Renouveler mon titre");
        assertThat(sms(phone, "5")).contains("Renouvellement : je note la date de fin de votre titre", "Pour quelle démarche ?");
        assertThat(sms(phone, "5")).contains("Dans quel lieu ?", "7 Antenne de test D");
        assertThat(sms(phone, "7")).contains("Quand se termine votre titre de séjour ?");
        assertThat(sms(phone, "31/01/2028")).contains("Écrivez votre nom");
        assertThat(sms(phone, "Amina Diallo")).contains("date de naissance");
        String registered = sms(phone, "12.03.1990");
        assertThat(registered).startsWith("C'est noté, référence ").contains("au plus tard le 30 novembre 2027", "gratuit");
        Matcher m = REFERENCE.matcher(registered);
        assertThat(m.find()).isTrue();
        Reference reference = Reference.parse(m.group(1)).orElseThrow();

        Map<String, Object> row = jdbc.sql("SELECT kind, status, document_expiry, queued_at, convoke_by, procedure, site_preference FROM requests WHERE reference = :r")
                .param("r", reference.value()).query().singleRow();
        assertThat(row).containsEntry("kind", "RENEWAL").containsEntry("status", "WAITING").containsEntry("procedure", "SALARIE_RENOUVELLEMENT")
                .containsEntry("site_preference", "QD");
        assertThat(((java.sql.Date) row.get("document_expiry")).toLocalDate()).isEqualTo(LocalDate.of(2028, 1, 31));
        Instant queueFrom = at(LocalDate.of(2027, 9, 30), 0, 0);
        Instant convokeBy = at(LocalDate.of(2027, 11, 30), 0, 0);
        assertThat(((java.sql.Timestamp) row.get("queued_at")).toInstant()).isEqualTo(queueFrom);
        assertThat(((java.sql.Timestamp) row.get("convoke_by")).toInstant()).isEqualTo(convokeBy);
        assertThat(outbox("ack:" + reference.value()).orElseThrow().body())
                .startsWith("Accusé de réception : renouvellement " + reference.grouped())
                .contains("Titre valable jusqu'au 31 janvier 2028", "au plus tard le 30 novembre 2027", "Antenne de test D", "INFO");

        // Places open in October: not for this request yet, it enters the queue on 30 September.
        open("QD", at(LocalDate.of(2027, 10, 12), 10, 0), 1);
        allocator.pass(null);
        assertThat(status(reference)).isEqualTo("WAITING");

        clock.set(at(LocalDate.of(2027, 9, 30), 10, 0));
        allocator.pass(null);
        // A sweep triggered in the background may be serving it at this instant (the pass then skips the locked row).
        await().atMost(Duration.ofSeconds(30)).until(() -> status(reference).equals("CONVOKED"));
        assertThat(status(reference)).isEqualTo("CONVOKED");
        String appointment = jdbc.sql("SELECT appointment FROM requests WHERE reference = :r").param("r", reference.value()).query(String.class).single();
        assertThat(slotStart(appointment)).isBefore(at(LocalDate.of(2028, 1, 31), 0, 0)).isEqualTo(at(LocalDate.of(2027, 10, 12), 10, 0));
        OutboxRow convocation = outbox("convocation:" + appointment).orElseThrow();
        assertThat(convocation.due()).isBeforeOrEqualTo(convokeBy).isEqualTo(clock.instant());
        assertThat(convocation.body()).contains("mardi 12 octobre à 10:00").doesNotContain("salarié", "renouvellement");
    }

    @Test
    void whenCapacityCannotMeetTheGuaranteeStaffAreAlertedWithoutPersonalData(CapturedOutput output) {
        clock.set(START.plus(Duration.ofDays(15)));
        PhoneNumber phone = freshMobile();
        LocalDate expiry = today().plusMonths(5);
        // Registered through the flow's action, in a turn's transaction; AES_TRAVAIL at QD: no slot will ever take it.
        FlowActions.Result result = new TransactionTemplate(transactions).execute(s -> renewals.run(new FlowActions.Call("queue_renewal",
                Map.of("procedure", "AES_TRAVAIL", "site", "QD", "expiry", expiry.toString(), "name", "Yusuf Karimi", "birth_date", "1979-06-02"),
                phone, Channel.SMS, "fa-AF", "7")));
        assertThat(result.outcome()).isEqualTo("success");
        Reference reference = Reference.parse(result.vars().get("reference")).orElseThrow();
        assertThat(outbox("ack:" + reference.value()).orElseThrow().language()).isEqualTo("fa-AF");
        assertThat(atRiskList()).doesNotContain(reference.value());

        // A month later it has entered the queue, and nothing could serve it: no place, nobody served recently.
        clock.set(at(expiry.minusMonths(4), 10, 0).plus(Duration.ofDays(1)));
        String listed = atRiskList();
        assertThat(listed).contains("\"reference\":\"" + reference.value() + "\"", "\"reason\":\"NO_CAPACITY_DATA\"", "\"kind\":\"RENEWAL\"",
                "\"phone\":\"" + phone.e164() + "\"");
        atRisk.check();
        assertThat(output.getAll()).contains("newly at risk of missing their convocation deadline")
                .doesNotContain(phone.e164(), "Yusuf", "Karimi");
        int alerts = output.getAll().split("newly at risk", -1).length;
        atRisk.check();
        assertThat(output.getAll().split("newly at risk", -1).length).as("said once, not at every sweep").isEqualTo(alerts);

        // Ten days before its deadline, still waiting.
        clock.set(at(expiry.minusMonths(2), 10, 0).minus(Duration.ofDays(10)));
        assertThat(atRiskList()).contains("\"reason\":\"DEADLINE_NEAR\"");
        assertThat(api("GET", "/api/v1/admin/requests/at-risk", null, null).statusCode()).isEqualTo(401);
        jdbc.sql("UPDATE requests SET status = 'WITHDRAWN' WHERE reference = :r").param("r", reference.value()).update();
    }

    private String atRiskList() {
        HttpResponse<String> response = api("GET", "/api/v1/admin/requests/at-risk", null, STAFF);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private String status(Reference reference) {
        return jdbc.sql("SELECT status FROM requests WHERE reference = :r").param("r", reference.value()).query(String.class).single();
    }
}
