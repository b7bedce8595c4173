package fr.guichet.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.guichet.booking.BookingOutcome;
import fr.guichet.booking.Reference;
import fr.guichet.booking.Slot;
import fr.guichet.phone.PhoneNumber;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The récépissé cycle through the staff API: recorded on an attended appointment, the person is convoked again
 * before it runs out, again after each récépissé recorded on a follow-up, until staff record a decision. Errors are
 * problem+json, as in the rest of the staff API.
 */
class RecepisseTest extends QueueServiceTest {
    private static final Pattern FOLLOW_UP = Pattern.compile("\"followUp\":\"(\\d{9})\"");
    private static final Pattern FILE = Pattern.compile("\"file\":(\\d+)");

    @Test
    void convokedAgainBeforeEachRecepisseExpiresUntilADecision() {
        LocalDate monday = LocalDate.of(2027, 4, 5);
        clock.set(at(monday, 10, 0));
        PhoneNumber phone = freshMobile();
        Slot first = open("QB", at(monday.plusDays(1), 10, 0), 1);
        BookingOutcome.Booked booked = bookFirstCome(first.id(), phone);
        String appointment = booked.appointment().reference().value();

        // Not attended yet.
        assertProblem(recepisse(appointment, "{\"expires\":\"2027-07-06\"}"), 409, "not-attended");
        clock.set(at(monday.plusDays(1), 10, 30));
        assertThat(api("POST", "/api/v1/admin/appointments/" + appointment + "/attended", null, STAFF).statusCode()).isEqualTo(200);

        // Refusals, before anything is recorded.
        assertThat(api("POST", "/api/v1/admin/appointments/" + appointment + "/recepisse", "{\"expires\":\"2027-07-06\"}", null).statusCode())
                .isEqualTo(401);
        assertProblem(recepisse(Reference.fromPayload("00000001").value(), "{\"expires\":\"2027-07-06\"}"), 404, "not-found");
        assertProblem(recepisse("not-a-reference", "{\"expires\":\"2027-07-06\"}"), 404, "not-found");
        assertProblem(recepisse(appointment, "{}"), 422, "invalid-request");
        assertProblem(recepisse(appointment, "{\"expires\":\"2027-04-01\"}"), 422, "invalid-request");
        assertProblem(recepisse(appointment, "{\"expires\":\"2029-04-01\"}"), 422, "invalid-request");
        assertThat(recepisse(appointment, "{\"expires\":\"juillet\"}").statusCode()).isEqualTo(422);
        assertProblem(decision(appointment, null), 404, "not-found");

        HttpResponse<String> recorded = recepisse(appointment, "{\"expires\":\"2027-07-06\"}");
        assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);
        assertThat(recorded.body()).contains("\"expires\":\"2027-07-06\"", "\"queueFrom\":\"2027-05-24T22:00:00Z\"",
                "\"convokeBy\":\"2027-06-14T22:00:00Z\"");
        String followUp = group(FOLLOW_UP, recorded.body());
        String file = group(FILE, recorded.body());
        HttpResponse<String> again = recepisse(appointment, "{\"expires\":\"2027-07-06\"}");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(group(FOLLOW_UP, again.body())).isEqualTo(followUp);
        assertThat(requestRow(followUp)).isEqualTo("RECEPISSE WAITING RECEPISSE_RENOUVELLEMENT QB");
        assertThat(outbox("ack:" + followUp).orElseThrow().body()).isEqualTo("Préfecture : votre récépissé expire le 6 juillet 2027. "
                + "Vous recevrez par SMS une convocation pour le renouveler au plus tard le 15 juin 2027. Référence "
                + Reference.parse(followUp).orElseThrow().grouped() + ". Service gratuit.");

        // Places in June; the follow-up enters the queue six weeks before the expiry, on 25 May.
        Slot june = open("QB", at(LocalDate.of(2027, 6, 1), 10, 0), 1);
        allocator.pass(null);
        assertThat(requestRow(followUp)).startsWith("RECEPISSE WAITING");
        clock.set(at(LocalDate.of(2027, 5, 25), 10, 0));
        allocator.pass(null);
        // A sweep triggered in the background may be serving it at this instant (the pass then skips the locked row).
        await().atMost(Duration.ofSeconds(30)).until(() -> requestRow(followUp).startsWith("RECEPISSE CONVOKED"));
        assertThat(requestRow(followUp)).startsWith("RECEPISSE CONVOKED");
        String second = jdbc.sql("SELECT appointment FROM requests WHERE reference = :r").param("r", followUp).query(String.class).single();
        assertThat(jdbc.sql("SELECT slot_id FROM appointments WHERE reference = :r").param("r", second).query(Long.class).single()).isEqualTo(june.id());
        assertThat(outbox("convocation:" + second).orElseThrow().to()).isEqualTo(phone.e164());

        // Received again, a new récépissé: the same file, a new follow-up.
        clock.set(at(LocalDate.of(2027, 6, 1), 10, 40));
        assertThat(api("POST", "/api/v1/admin/appointments/" + second + "/attended", null, STAFF).statusCode()).isEqualTo(200);
        HttpResponse<String> renewed = recepisse(second, "{\"expires\":\"2027-09-01\"}");
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(201);
        assertThat(group(FILE, renewed.body())).isEqualTo(file);
        String nextFollowUp = group(FOLLOW_UP, renewed.body());
        assertThat(nextFollowUp).isNotEqualTo(followUp);
        assertThat(requestRow(nextFollowUp)).startsWith("RECEPISSE WAITING");

        // The decision closes the file: the follow-up still waiting is withdrawn, nothing more is recorded.
        HttpResponse<String> decided = decision(appointment, "{\"outcome\":\"granted\"}");
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        assertThat(decided.body()).contains("\"file\":" + file, "\"outcome\":\"granted\"", "\"withdrawn\":[\"" + nextFollowUp + "\"]");
        assertThat(requestRow(nextFollowUp)).startsWith("RECEPISSE WITHDRAWN");
        // The person is told the announced convocation will not come, not what the decision is (the prefecture's to notify).
        OutboxRow closed = outbox("recepisse-closed:" + nextFollowUp).orElseThrow();
        assertThat(closed.to()).isEqualTo(phone.e164());
        assertThat(closed.body()).isEqualTo("Préfecture : une décision a été prise sur votre dossier ; elle vous sera notifiée par "
                + "la préfecture. La convocation annoncée pour renouveler votre récépissé est annulée. Référence "
                + Reference.parse(nextFollowUp).orElseThrow().grouped() + ". Service gratuit.");
        assertThat(outbox("recepisse-closed:" + followUp)).as("the follow-up already convoked is kept, and nothing is said of it").isEmpty();
        assertProblem(decision(second, null), 409, "already-decided");
        assertProblem(decision(second, "{\"outcome\":\"maybe\"}"), 422, "invalid-request");
    }

    @Test
    void theQueueStaffApiIsDescribedAndGuarded() {
        String docs = api("GET", "/v3/api-docs", null, null).body();
        for (String path : List.of("/api/v1/admin/requests/at-risk", "/api/v1/admin/appointments/{reference}/recepisse",
                "/api/v1/admin/appointments/{reference}/decision", "/api/v1/admin/queue/allocate")) {
            assertThat(docs).contains("\"" + path + "\"");
        }
        assertThat(docs).contains("not-attended, decided (the file is closed), no-phone, or follow-up-convoked", "already-decided",
                "RecepisseBody", "AtRiskView");
        assertThat(api("GET", "/api/v1/admin/requests/at-risk", null, "wrong").statusCode()).isEqualTo(403);
        assertThat(api("POST", "/api/v1/admin/queue/allocate", null, null).statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> recepisse(String reference, String json) {
        return api("POST", "/api/v1/admin/appointments/" + reference + "/recepisse", json, STAFF);
    }

    private HttpResponse<String> decision(String reference, String json) {
        return api("POST", "/api/v1/admin/appointments/" + reference + "/decision", json, STAFF);
    }

    private String requestRow(String reference) {
        return jdbc.sql("SELECT kind || ' ' || status || ' ' || procedure || ' ' || site_preference FROM requests WHERE reference = :r")
                .param("r", reference).query(String.class).single();
    }

    private static String group(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(response.body()).contains("\"code\":\"" + code + "\"");
    }
}
