package fr.guichet.booking.rdvsp;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.booking.TextsSentBy;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code APP_BOOKING_TEXTS_SENT_BY=backend}: RDV Service Public texts people about their appointments (users are
 * created with {@code notify_by_sms}), so Guichet sends none of those texts itself — nobody gets two.
 */
@TestPropertySource(properties = "app.booking.texts-sent-by=backend")
class RdvspTextsSentByBackendTest extends RdvspServiceTest {
    @Autowired TextsSentBy sentBy;

    @Test
    void theBackendIsAskedToTextAndGuichetStaysSilentOnAWebCancellation() {
        assertThat(sentBy.side()).isEqualTo(TextsSentBy.Side.BACKEND);
        assertThat(sentBy.guichetSendsAppointmentTexts()).isFalse();
        stubs.healthy();
        String phone = freshNumber();
        Answer booked = bookOnTheWeb("backend-texts-1", slotIds().getFirst(), phone, "fr", "1977-01-02");
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        backend.verify(postRequestedFor(urlPathEqualTo(RdvspStubs.USERS)).withRequestBody(matchingJsonPath("$.notify_by_sms", equalTo("true"))));
        Local a = local(booked.json().path("reference").asString()).orElseThrow();

        String body = RdvspWebhookTest.delivery(a.rdvId(), RdvspStubs.SLOTS.getFirst(), "excused", "updated");
        assertThat(call("POST", "/api/v1/backends/rdv-service-public/webhook", body,
                "X-Lapin-Signature", RdvspWebhookTest.sign(WEBHOOK_SECRET, body)).status()).isEqualTo(200);
        assertThat(local(a.reference()).orElseThrow().status()).isEqualTo("CANCELLED");
        assertThat(outboxBody("cancellation:" + a.reference())).isEmpty();
    }
}
