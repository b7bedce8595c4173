package fr.guichet.booking.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.GuichetApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The whole service stopped and started again on the same data folder keeps its appointments and loads no demo data twice. */
class RestartTest {
    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(GuichetApplication.class).run("--server.port=0", "--app.data-dir=" + dataDir);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Test
    void aRestartKeepsAppointmentsAndDoesNotReloadTheDemoData() throws Exception {
        Path dataDir = Files.createTempDirectory("guichet-booking-restart");
        String reference;
        String phone = "+33612340077";
        int slots;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            Api api = new Api(port(first));
            slots = first.getBean(JdbcClient.class).sql("SELECT count(*) FROM slots").query(Integer.class).single();
            assertThat(slots).isPositive();
            long slotId = api.get("/api/v1/slots?site=VIENNE&procedure=REMISE_TITRE&limit=1").json().get(0).get("id").asLong();
            Api.Answer booked = api.post("/api/v1/appointments", Api.booking(slotId, "REMISE_TITRE", "Тарас Шевченко", "1990-03-09", phone, "uk"),
                    "Idempotency-Key", UUID.randomUUID().toString());
            assertThat(booked.status()).isEqualTo(201);
            reference = booked.json().get("reference").asString();
        }
        try (ConfigurableApplicationContext second = start(dataDir)) {
            Api api = new Api(port(second));
            Api.Answer found = api.get("/api/v1/appointments/" + reference + "?phone=%2B33612340077");
            assertThat(found.status()).isEqualTo(200);
            assertThat(found.json().get("applicant").get("name").asString()).isEqualTo("Тарас Шевченко");
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT count(*) FROM slots").query(Integer.class).single()).isEqualTo(slots);
            assertThat(jdbc.sql("SELECT count(*) FROM sites").query(Integer.class).single()).isEqualTo(3);
        }
    }
}
