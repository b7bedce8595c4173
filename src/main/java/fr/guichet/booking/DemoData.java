package fr.guichet.booking;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Isère example: the prefecture in Grenoble and the sub-prefectures of Vienne and La Tour-du-Pin, the procedure
 * catalogue (counter and ANEF procedures), opening hours, and slots for the next four weeks. Loaded on the first
 * start only ({@code data_loads} remembers it), so a restart never duplicates anything.
 *
 * <p>On by default with the embedded database, off with an outside one ({@code SPRING_DATASOURCE_URL}); forced
 * either way by {@code APP_DEMO_DATA}.
 */
@Component
class DemoData implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    static final String LOAD_NAME = "demo-isere-v1";
    static final int WEEKS_OF_SLOTS = 4;

    /** code, anef, minutes, worker may book, renewal. ANEF procedures lead to the PAN help appointment. */
    record DemoProcedure(String code, boolean anef, int minutes, boolean workerMayBook, boolean renewal) {}

    static final String PAN = "PAN_AIDE_ANEF";
    static final List<DemoProcedure> PROCEDURES = List.of(
            // At the counter (CESEDA R. 431-3).
            new DemoProcedure("AES_VIE_PRIVEE", false, 30, true, false),
            new DemoProcedure("AES_TRAVAIL", false, 30, true, false),
            new DemoProcedure("VPF_LIENS_PERSONNELS", false, 30, true, false),
            new DemoProcedure("SALARIE_PREMIERE", false, 30, true, false),
            new DemoProcedure("SALARIE_RENOUVELLEMENT", false, 20, true, true),
            new DemoProcedure("CHANGEMENT_STATUT", false, 30, true, false),
            new DemoProcedure("RECEPISSE_RENOUVELLEMENT", false, 15, true, true),
            new DemoProcedure("REMISE_TITRE", false, 15, true, false),
            new DemoProcedure(PAN, false, 30, true, false),
            // Filed online through the ANEF (CESEDA R. 431-2): help at the point d'accueil numérique.
            new DemoProcedure("ANEF_ETUDIANT", true, 30, true, false),
            new DemoProcedure("ANEF_PASSEPORT_TALENT", true, 30, true, false),
            new DemoProcedure("ANEF_VISITEUR", true, 30, true, false),
            new DemoProcedure("ANEF_PROTECTION_INTERNATIONALE", true, 30, true, false),
            new DemoProcedure("ANEF_CITOYEN_UE", true, 30, true, false),
            new DemoProcedure("ANEF_FAMILLE_FRANCAIS", true, 30, true, false),
            new DemoProcedure("ANEF_SAISONNIER", true, 30, true, false),
            new DemoProcedure("ANEF_VULNERABILITE", true, 30, true, false),
            new DemoProcedure("ANEF_SOINS", true, 30, true, false),
            new DemoProcedure("ANEF_RESIDENT_RENOUVELLEMENT", true, 30, true, true),
            new DemoProcedure("ANEF_AUTRES_DEMARCHES", true, 30, true, false));

    record DemoSite(String code, String name, String address, String phone, String staffPhone, int capacity,
                    List<Hours> hours) {}

    record Hours(List<DayOfWeek> days, LocalTime opens, LocalTime closes) {}

    private static final List<DayOfWeek> WEEKDAYS =
            List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY);
    static final ZoneId ZONE = ZoneId.of("Europe/Paris");
    // The sub-prefectures' street addresses and phone lines are not in the sources at hand: the town and the
    // prefecture's public line stand in for them (see docs/booking.md).
    static final List<DemoSite> SITES = List.of(
            new DemoSite("GRENOBLE", "Préfecture de l'Isère", "12 place de Verdun, 38000 Grenoble", "04 76 60 49 49",
                    "+33476604949", 4, List.of(
                            new Hours(WEEKDAYS, LocalTime.of(8, 45), LocalTime.of(12, 0)),
                            new Hours(WEEKDAYS, LocalTime.of(13, 30), LocalTime.of(16, 0)))),
            new DemoSite("VIENNE", "Sous-préfecture de Vienne", "Sous-préfecture, 38200 Vienne", "04 76 60 49 49",
                    "+33476604949", 2, List.of(
                            new Hours(WEEKDAYS, LocalTime.of(9, 0), LocalTime.of(12, 0)),
                            new Hours(List.of(DayOfWeek.TUESDAY, DayOfWeek.THURSDAY), LocalTime.of(13, 30), LocalTime.of(16, 0)))),
            new DemoSite("LA_TOUR_DU_PIN", "Sous-préfecture de La Tour-du-Pin", "Sous-préfecture, 38110 La Tour-du-Pin",
                    "04 76 60 49 49", "+33476604949", 2, List.of(
                            new Hours(WEEKDAYS, LocalTime.of(9, 0), LocalTime.of(12, 0)))));

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final StaffDesk staff;
    private final PostgresCatalogue catalogue;
    private final Clock clock;
    private final boolean enabled;

    DemoData(JdbcClient jdbc, TransactionTemplate transactions, StaffDesk staff, PostgresCatalogue catalogue, Clock clock,
             @Value("${app.demo-data:}") String demoData, @Value("${spring.datasource.url:}") String datasourceUrl) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.staff = staff;
        this.catalogue = catalogue;
        this.clock = clock;
        this.enabled = demoData == null || demoData.isBlank() ? datasourceUrl == null || datasourceUrl.isBlank()
                : Boolean.parseBoolean(demoData.strip());
    }

    boolean enabled() {
        return enabled;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!enabled) return;
        Boolean loaded = transactions.execute(status -> {
            int first = jdbc.sql("INSERT INTO data_loads (name) VALUES (?) ON CONFLICT DO NOTHING").param(LOAD_NAME).update();
            if (first == 0) return false;
            load();
            return true;
        });
        catalogue.refresh();
        // Slots need the sites' opening hours through the catalogue, hence after the refresh. Topped up on every
        // start, so a demo that runs for weeks keeps four weeks of slots (and a crash between the two transactions
        // of the first start loses none): the template adds only the slots not already there.
        LocalDate today = LocalDate.now(clock.withZone(ZONE));
        List<String> counter = PROCEDURES.stream().filter(p -> !p.anef()).map(DemoProcedure::code).toList();
        int created = transactions.execute(status -> SITES.stream()
                .filter(site -> catalogue.site(site.code()).isPresent())
                .mapToInt(site -> staff.openSlotsFromOpeningHours(site.code(), today.plusDays(1),
                        today.plusWeeks(WEEKS_OF_SLOTS), Duration.ofMinutes(30), site.capacity(), counter).created())
                .sum());
        if (Boolean.TRUE.equals(loaded)) {
            log.info("Demo data loaded: {} sites, {} procedures, {} slots", SITES.size(), PROCEDURES.size(), created);
        } else if (created > 0) {
            log.info("Demo data: {} slots added to keep {} weeks ahead", created, WEEKS_OF_SLOTS);
        }
    }

    private void load() {
        int position = 0;
        for (DemoSite site : SITES) {
            jdbc.sql("INSERT INTO sites (code, name, address, phone, staff_phone, zone, position) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(site.code(), site.name(), site.address(), site.phone(), site.staffPhone(), ZONE.getId(), position++)
                    .update();
            for (Hours hours : site.hours()) {
                for (DayOfWeek day : hours.days()) {
                    jdbc.sql("INSERT INTO site_opening_hours (site, weekday, opens, closes) VALUES (?, ?, ?, ?)")
                            .params(site.code(), day.getValue(), hours.opens(), hours.closes())
                            .update();
                }
            }
        }
        position = 0;
        // The PAN procedure first: ANEF procedures refer to it.
        for (DemoProcedure p : PROCEDURES.stream().sorted((a, b) -> Boolean.compare(a.anef(), b.anef())).toList()) {
            jdbc.sql("""
                            INSERT INTO procedures (code, anef, duration_minutes, worker_may_book, renewal, pan_procedure, position)
                            VALUES (?, ?, ?, ?, ?, ?, ?)""")
                    .params(p.code(), p.anef(), p.minutes(), p.workerMayBook(), p.renewal(), p.anef() ? PAN : null,
                            PROCEDURES.indexOf(p))
                    .update();
            position++;
        }
    }
}
