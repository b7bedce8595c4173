package fr.guichet.booking.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.GuichetTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** With no APP_ADMIN_TOKEN the staff booking API is closed, whatever token is sent. */
@GuichetTest
class StaffApiClosedTest {
    @LocalServerPort int port;

    @Test
    void withNoConfiguredTokenTheStaffApiIsClosed() {
        Api api = new Api(port);
        for (Api.Answer answer : java.util.List.of(
                api.post("/api/v1/admin/slots", Map.of("site", "GRENOBLE"), "Authorization", "Bearer "),
                api.post("/api/v1/admin/slots", Map.of("site", "GRENOBLE"), "Authorization", "Bearer anything"),
                api.get("/api/v1/admin/appointments?site=GRENOBLE&date=2027-01-04"))) {
            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.json().get("code").asString()).isEqualTo("staff-api-closed");
        }
    }
}
