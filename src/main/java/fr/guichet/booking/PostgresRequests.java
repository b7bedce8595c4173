package fr.guichet.booking;

import static fr.guichet.booking.AppointmentRows.utc;

import fr.guichet.phone.PhoneNumber;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** The queue of demands, over PostgreSQL. The idempotency key is a unique column of the request itself. */
@Component
class PostgresRequests implements Requests {
    private static final String COLUMNS = """
            reference, received_at, procedure, site_preference, applicant_name, birth_date, phone, language,
            document_expiry, status, appointment, fingerprint""";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Catalogue catalogue;
    private final ReferenceRegistry references;
    private final ApplicationEventPublisher events;

    PostgresRequests(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, Catalogue catalogue,
                     ReferenceRegistry references, ApplicationEventPublisher events) {
        this.events = events;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.catalogue = catalogue;
        this.references = references;
    }

    private record Stored(QueuedRequest request, String fingerprint) {}

    /**
     * @throws IllegalArgumentException for an unknown procedure or site
     * @throws IdempotencyKeyReusedException when the key was used for a different request
     */
    @Override
    public QueuedRequest submit(NewRequest request) {
        if (catalogue.procedure(request.procedure()).isEmpty()) throw new IllegalArgumentException("Unknown procedure");
        if (request.sitePreference() != null && catalogue.site(request.sitePreference()).isEmpty()) {
            throw new IllegalArgumentException("Unknown site");
        }
        Applicant applicant = request.applicant();
        String phone = applicant.phone() == null ? null : applicant.phone().e164();
        String fingerprint = Fingerprint.of("REQUEST", request.procedure(), request.sitePreference(), applicant.name(),
                applicant.birthDate(), phone, applicant.language(), request.documentExpiry(), request.channel(),
                request.bookedBy());
        Stored stored = transactions.execute(status -> {
            Optional<Stored> earlier = byKey(request.idempotencyKey());
            if (earlier.isPresent()) return earlier.get();
            Instant now = clock.instant();
            Reference reference = references.register(ReferenceRegistry.Kind.REQUEST);
            // A concurrent submission with the same key waits on the unique key, then inserts nothing.
            int inserted = jdbc.sql("""
                            INSERT INTO requests (reference, idempotency_key, fingerprint, status, procedure, site_preference,
                                                  applicant_name, birth_date, phone, language, document_expiry, channel,
                                                  booked_by, received_at, updated_at)
                            VALUES (?, ?, ?, 'WAITING', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            ON CONFLICT (idempotency_key) DO NOTHING""")
                    .params(reference.value(), request.idempotencyKey(), fingerprint, request.procedure(),
                            request.sitePreference(), applicant.name(), applicant.birthDate(), phone,
                            applicant.language(), request.documentExpiry(), request.channel().name(),
                            request.bookedBy(), utc(now), utc(now))
                    .update();
            if (inserted == 0) references.release(reference);
            Stored recorded = byKey(request.idempotencyKey()).orElseThrow();
            if (inserted == 1) events.publishEvent(new RequestReceived(recorded.request()));
            return recorded;
        });
        if (!stored.fingerprint().equals(fingerprint)) throw new IdempotencyKeyReusedException(request.idempotencyKey());
        return stored.request();
    }

    private Optional<Stored> byKey(String key) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM requests WHERE idempotency_key = ?")
                .param(key)
                .query((rs, n) -> new Stored(map(rs), rs.getString("fingerprint")))
                .optional();
    }

    @Override
    public Optional<QueuedRequest> find(Reference reference, PhoneNumber phone) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM requests WHERE reference = ? AND phone = ?")
                .params(reference.value(), phone.e164())
                .query((rs, n) -> map(rs))
                .optional();
    }

    private static QueuedRequest map(ResultSet rs) throws SQLException {
        String phone = rs.getString("phone");
        String appointment = rs.getString("appointment");
        return new QueuedRequest(
                new Reference(rs.getString("reference")),
                rs.getObject("received_at", OffsetDateTime.class).toInstant(),
                rs.getString("procedure"),
                rs.getString("site_preference"),
                new Applicant(rs.getString("applicant_name"), rs.getObject("birth_date", LocalDate.class),
                        phone == null ? null : new PhoneNumber(phone), rs.getString("language")),
                rs.getObject("document_expiry", LocalDate.class),
                QueuedRequest.RequestStatus.valueOf(rs.getString("status")),
                appointment == null ? null : new Reference(appointment));
    }
}
