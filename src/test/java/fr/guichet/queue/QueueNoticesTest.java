package fr.guichet.queue;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.booking.Applicant;
import fr.guichet.booking.Appointment;
import fr.guichet.booking.AppointmentStatus;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.Catalogue;
import fr.guichet.booking.OpeningHours;
import fr.guichet.booking.Procedure;
import fr.guichet.booking.Reference;
import fr.guichet.booking.Site;
import fr.guichet.language.LocaleFiles;
import fr.guichet.notify.NoticeCalls;
import fr.guichet.notify.OutboundText;
import fr.guichet.notify.QuietHours;
import fr.guichet.phone.PhoneNumber;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * When the texts go and which ones: a convocation the service decides at night waits for the end of quiet hours,
 * one answering the person goes at once; with {@code app.booking.texts-sent-by=backend} Guichet sends no convocation
 * (the outside backend does) but still acknowledges requests. The outbox here records what it is given.
 */
class QueueNoticesTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final LocaleFiles LOCALES = LocaleFiles.loadFromClasspath(PARIS);
    static final Site SITE = new Site("GRENOBLE", "Préfecture de l'Isère", "12 place de Verdun, 38000 Grenoble", "04 76 60 49 49", null, PARIS);
    /** Friday 5 March 2027, 21:10 in Paris: quiet time. */
    static final Instant NIGHT = LocalDateTime.of(2027, 3, 5, 21, 10).atZone(PARIS).toInstant();

    private final List<OutboundText> sent = new ArrayList<>();

    private QueueNotices notices(String textsSentBy) {
        Catalogue catalogue = new Catalogue() {
            @Override public List<Site> sites() { return List.of(SITE); }
            @Override public Optional<Site> site(String code) { return code.equals(SITE.code()) ? Optional.of(SITE) : Optional.empty(); }
            @Override public List<Procedure> procedures() { return List.of(); }
            @Override public Optional<Procedure> procedure(String code) { return Optional.empty(); }
            @Override public Optional<OpeningHours> openingHours(String siteCode) { return Optional.empty(); }
        };
        return new QueueNotices(LOCALES, text -> sent.add(text), catalogue, QuietHours.parse("20:00-09:00", PARIS),
                Clock.fixed(NIGHT, ZoneOffset.UTC), PARIS, textsSentBy, bookedBy -> Optional.empty(),
                // Texts reach the mobiles of these tests: the notice calls never reach the database.
                new NoticeCalls(null, Clock.fixed(NIGHT, ZoneOffset.UTC), PhoneNumber::canReceiveTexts));
    }

    private static Appointment appointment(String language) {
        return new Appointment(Reference.fromPayload("48291530"), AppointmentStatus.BOOKED, 7, "GRENOBLE",
                LocalDateTime.of(2027, 3, 16, 10, 30).atZone(PARIS).toInstant(), Duration.ofMinutes(30), "ANEF_SOINS",
                new Applicant("Amina Diallo", LocalDate.of(1990, 3, 12), new PhoneNumber("+33612345678"), language),
                BookingChannel.QUEUE, "queue", NIGHT);
    }

    @Test
    void aConvocationTheServiceDecidesAtNightWaitsForNineOclockOnSaturday() {
        notices("guichet").convocation(appointment("fr"), true, true);
        assertThat(sent).singleElement().satisfies(t -> {
            assertThat(t.purposeKey()).isEqualTo("convocation:" + Reference.fromPayload("48291530").value());
            assertThat(t.notBefore()).isEqualTo(LocalDateTime.of(2027, 3, 6, 9, 0).atZone(PARIS).toInstant());
            assertThat(t.body()).contains("mardi 16 mars à 10:30", "Préfecture de l'Isère, 12 place de Verdun", "REPORTER")
                    .doesNotContain("santé", "Raisons", "ANEF");
        });
    }

    @Test
    void aConvocationAnsweringThePersonGoesAtOnce() {
        notices("guichet").convocation(appointment("ar"), false, false);
        assertThat(sent).singleElement().satisfies(t -> {
            assertThat(t.notBefore()).isNull();
            assertThat(t.language()).isEqualTo("ar");
            assertThat(t.body()).contains("موعد المحافظة", "DOCS").doesNotContain("REPORTER", "تأجيل");
        });
    }

    @Test
    void whenTheBackendSendsConvocationsGuichetSendsNone() {
        QueueNotices backend = notices("backend");
        backend.convocation(appointment("fr"), true, true);
        assertThat(sent).isEmpty();
        assertThat(backend.sendsConvocations()).isFalse();
        assertThat(notices(" Guichet ").sendsConvocations()).isTrue();
        QueueEntry request = new QueueEntry(1, Reference.fromPayload("12345678"), QueueEntry.Kind.REQUEST, "WAITING", "ANEF_SOINS", null,
                new Applicant("Amina Diallo", LocalDate.of(1990, 3, 12), new PhoneNumber("+33612345678"), "fr"), null, NIGHT, null, null,
                0, 0, false, null, null, null);
        backend.acknowledge(request, new DelayEstimates.Basis(3, 0, 6, 1.5, new DelayEstimates.Estimate.Weeks(2)));
        assertThat(sent).singleElement().satisfies(t -> {
            assertThat(t.purposeKey()).isEqualTo("ack:" + request.reference().value());
            assertThat(t.notBefore()).as("the person's own request: at once").isNull();
            assertThat(t.body()).contains("enregistrée le 5 mars à 21:10 par Préfecture de l'Isère", "environ 2 semaines", "INFO")
                    .doesNotContain("santé");
        });
    }
}
