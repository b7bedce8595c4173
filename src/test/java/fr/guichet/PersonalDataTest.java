package fr.guichet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.guichet.booking.Applicant;
import fr.guichet.phone.PhoneNumber;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Personal data never reaches a log line in clear, even through an exception or a value printed by mistake. */
@GuichetTest
class PersonalDataTest {
    @Autowired JdbcClient jdbc;

    @Test
    void aDatabaseErrorDoesNotRepeatTheRowItRefused() {
        // The CHECK on appointments.phone refuses a malformed number; PostgreSQL's DETAIL would print the whole row.
        assertThatThrownBy(() -> jdbc.sql("""
                        INSERT INTO appointments (reference, status, slot_id, procedure, applicant_name, birth_date, phone, language,
                                                  channel, created_at, updated_at)
                        VALUES ('000000000', 'BOOKED', 1, 'X', ?, ?, ?, 'fr', 'SMS', now(), now())""")
                .params("Amina Diallo", LocalDate.of(1990, 3, 12), "0612345678")
                .update())
                // Bound values, as the service always passes them: neither the SQL nor the server's answer repeat them.
                .satisfies(e -> assertThat(fullMessage(e)).contains("appointments_phone_check")
                        .doesNotContain("Amina Diallo", "0612345678", "1990-03-12", "Failing row"));
    }

    @Test
    void anApplicantPrintedByMistakeShowsNeitherNameNorBirthDateNorNumber() {
        Applicant applicant = new Applicant("Amina Diallo", LocalDate.of(1990, 3, 12), PhoneNumber.parse("06 12 34 56 78"), "fr");
        assertThat(applicant.toString()).doesNotContain("Amina", "Diallo", "1990", "12345678").contains("fr");
    }

    private static String fullMessage(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) all.append(t).append('\n');
        return all.toString();
    }
}
