package fr.guichet.booking;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.GuichetTest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Extra closed dates of a site (a bridge day, a local closure) are skipped like public holidays. */
@GuichetTest
class StaffDeskTest {
    @Autowired StaffDesk desk;
    @Autowired PostgresCatalogue catalogue;
    @Autowired JdbcClient jdbc;

    @Test
    void aClosedDateGetsNoSlotsFromTheTemplate() {
        // Week of Monday 7 June 2027: Friday 11 June closed (a bridge), no public holiday that week.
        jdbc.sql("INSERT INTO site_closed_dates (site, day) VALUES ('GRENOBLE', '2027-06-11')").update();
        catalogue.refresh();
        StaffDesk.TemplateResult result = desk.openSlotsFromOpeningHours("GRENOBLE", LocalDate.of(2027, 6, 7),
                LocalDate.of(2027, 6, 13), Duration.ofMinutes(15), 1, List.of("REMISE_TITRE"));
        // Grenoble: 8:45–12:00 (13 quarters) and 13:30–16:00 (10 quarters), Monday to Thursday.
        assertThat(result.created()).isEqualTo(4 * 23);
        assertThat(jdbc.sql("""
                        SELECT count(*) FROM slots WHERE site = 'GRENOBLE' AND procedures = '{REMISE_TITRE}'
                        AND (start_at AT TIME ZONE 'Europe/Paris')::date = '2027-06-11'""").query(Integer.class).single()).isZero();
        assertThat(catalogue.isOpen("GRENOBLE", LocalDate.of(2027, 6, 11).atTime(10, 0).atZone(java.time.ZoneId.of("Europe/Paris")).toInstant()))
                .isFalse();
    }
}
