package fr.guichet.queue;

import static fr.guichet.queue.QueueEntries.utc;

import fr.guichet.booking.Appointment;
import fr.guichet.booking.AppointmentStatus;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.BookingPort;
import fr.guichet.booking.Catalogue;
import fr.guichet.booking.NewRequest;
import fr.guichet.booking.QueuedRequest;
import fr.guichet.booking.Reference;
import fr.guichet.booking.Requests;
import fr.guichet.booking.StaffDesk;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Récépissé files: staff record, on an attended appointment, that a récépissé was issued and when it runs out; the
 * queue then convokes the person again before it does (a follow-up request that enters the queue twice the margin
 * before the expiry, with its convocation due by the margin before it), and again after each récépissé recorded on
 * a follow-up, until staff record a decision, which closes the file and withdraws the follow-up still waiting.
 */
@Component
class Recepisses {
    sealed interface Recorded {
        record Done(long file, Reference appointment, LocalDate expires, Reference followUp, Instant queueFrom, Instant convokeBy,
                    boolean created) implements Recorded {}
        record NotFound() implements Recorded {}
        record NotAttended(AppointmentStatus status) implements Recorded {}
        record Decided() implements Recorded {}
        record NoPhone() implements Recorded {}
        /** A correction of the expiry after the follow-up was convoked: staff cancel or move that one instead. */
        record FollowUpConvoked(Reference followUp) implements Recorded {}
    }

    sealed interface Decision {
        record Done(long file, Instant decidedAt, String outcome, List<Reference> withdrawn) implements Decision {}
        record NoFile() implements Decision {}
        record AlreadyDecided(Instant decidedAt) implements Decision {}
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final StaffDesk desk;
    private final Requests requests;
    private final QueueEntries entries;
    private final Catalogue catalogue;
    private final BookingPort port;
    private final QueueProperties properties;
    private final Clock clock;
    private final ZoneId zone;
    private final QueueNotices notices;

    Recepisses(JdbcClient jdbc, TransactionTemplate transactions, StaffDesk desk, Requests requests, QueueEntries entries,
               Catalogue catalogue, BookingPort port, QueueProperties properties, Clock clock,
               @Value("${app.time-zone:Europe/Paris}") ZoneId zone, QueueNotices notices) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.desk = desk;
        this.requests = requests;
        this.entries = entries;
        this.catalogue = catalogue;
        this.port = port;
        this.properties = properties;
        this.clock = clock;
        this.zone = zone;
        this.notices = notices;
    }

    Instant queueFrom(LocalDate expires) {
        return expires.minus(properties.recepisseMargin()).minus(properties.recepisseMargin()).atStartOfDay(zone).toInstant();
    }

    Instant convokeBy(LocalDate expires) {
        return expires.minus(properties.recepisseMargin()).atStartOfDay(zone).toInstant();
    }

    private record Existing(long file, LocalDate expires, Reference followUp) {}

    /** One transaction: the follow-up request, its description and the récépissé row commit together. */
    Recorded record(Reference appointmentRef, LocalDate expires) {
        return transactions.execute(status -> {
            Optional<Appointment> found = desk.appointment(appointmentRef);
            if (found.isEmpty()) return new Recorded.NotFound();
            Appointment appointment = found.get();
            if (appointment.status() != AppointmentStatus.ATTENDED) return new Recorded.NotAttended(appointment.status());
            Optional<Existing> existing = jdbc.sql("SELECT file_id, expires, follow_up FROM recepisses WHERE appointment = :a FOR UPDATE")
                    .param("a", appointmentRef.value())
                    .query((rs, n) -> new Existing(rs.getLong(1), rs.getObject(2, LocalDate.class), new Reference(rs.getString(3))))
                    .optional();
            if (existing.isPresent()) return correct(appointmentRef, existing.get(), expires);
            long file = fileOf(appointment);
            if (decided(file).isPresent()) return new Recorded.Decided();
            if (appointment.applicant().phone() == null) return new Recorded.NoPhone();
            String procedure = catalogue.procedure(properties.recepisseProcedure()).isPresent()
                    ? properties.recepisseProcedure() : appointment.procedure();
            QueuedRequest followUp = requests.submit(new NewRequest("recepisse:" + appointmentRef.value(), procedure, appointment.site(),
                    appointment.applicant(), expires, BookingChannel.QUEUE, "staff"));
            Instant now = clock.instant();
            Instant from = queueFrom(expires);
            entries.describe(followUp.reference(), QueueEntry.Kind.RECEPISSE, from.isAfter(now) ? from : null, convokeBy(expires), file);
            jdbc.sql("""
                            INSERT INTO recepisses (appointment, file_id, expires, follow_up, recorded_at)
                            VALUES (:a, :file, :expires, :followUp, :now)""")
                    .param("a", appointmentRef.value()).param("file", file).param("expires", expires)
                    .param("followUp", followUp.reference().value()).param("now", utc(now))
                    .update();
            return new Recorded.Done(file, appointmentRef, expires, followUp.reference(), from, convokeBy(expires), true);
        });
    }

    /** The same récépissé recorded again: the same answer; another expiry: corrected while the follow-up still waits. */
    private Recorded correct(Reference appointmentRef, Existing existing, LocalDate expires) {
        Instant from = queueFrom(expires);
        if (existing.expires().equals(expires)) {
            return new Recorded.Done(existing.file(), appointmentRef, expires, existing.followUp(), from, convokeBy(expires), false);
        }
        Instant now = clock.instant();
        int updated = jdbc.sql("""
                        UPDATE requests SET document_expiry = :expires, queued_at = :queued, convoke_by = :by, at_risk_since = NULL,
                                            updated_at = :now
                        WHERE reference = :ref AND status = 'WAITING'""")
                .param("expires", expires).param("queued", utc(from.isAfter(now) ? from : null)).param("by", utc(convokeBy(expires)))
                .param("now", utc(now)).param("ref", existing.followUp().value())
                .update();
        if (updated == 0) return new Recorded.FollowUpConvoked(existing.followUp());
        jdbc.sql("UPDATE recepisses SET expires = :expires, recorded_at = :now WHERE appointment = :a")
                .param("expires", expires).param("now", utc(now)).param("a", appointmentRef.value())
                .update();
        return new Recorded.Done(existing.file(), appointmentRef, expires, existing.followUp(), from, convokeBy(expires), false);
    }

    /** The file this appointment belongs to: the follow-up of an earlier récépissé, or a new file starting here. */
    private long fileOf(Appointment appointment) {
        Optional<Long> followed = jdbc.sql("""
                        SELECT recepisse_file FROM requests WHERE appointment = :a AND kind = 'RECEPISSE' AND recepisse_file IS NOT NULL
                        ORDER BY id DESC LIMIT 1""")
                .param("a", appointment.reference().value())
                .query(Long.class)
                .optional();
        if (followed.isPresent()) return followed.get();
        jdbc.sql("INSERT INTO recepisse_files (first_appointment, created_at) VALUES (:a, :now) ON CONFLICT (first_appointment) DO NOTHING")
                .param("a", appointment.reference().value()).param("now", utc(clock.instant()))
                .update();
        return jdbc.sql("SELECT id FROM recepisse_files WHERE first_appointment = :a FOR UPDATE")
                .param("a", appointment.reference().value())
                .query(Long.class)
                .single();
    }

    private Optional<Instant> decided(long file) {
        return jdbc.sql("SELECT decided_at FROM recepisse_files WHERE id = :id")
                .param("id", file)
                .query((rs, n) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant))
                .single();
    }

    /** The file any of its appointments belongs to (where a récépissé was issued, or a follow-up convocation). */
    private Optional<Long> fileFor(Reference appointment) {
        return jdbc.sql("""
                        SELECT file_id FROM recepisses WHERE appointment = :a
                        UNION ALL SELECT recepisse_file FROM requests WHERE appointment = :a AND recepisse_file IS NOT NULL
                        UNION ALL SELECT id FROM recepisse_files WHERE first_appointment = :a
                        LIMIT 1""")
                .param("a", appointment.value())
                .query(Long.class)
                .optional();
    }

    Decision decide(Reference appointment, String outcome) {
        return transactions.execute(status -> {
            Optional<Long> file = fileFor(appointment);
            if (file.isEmpty()) return new Decision.NoFile();
            jdbc.sql("SELECT id FROM recepisse_files WHERE id = :id FOR UPDATE").param("id", file.get()).query(Long.class).single();
            Optional<Instant> decided = decided(file.get());
            if (decided.isPresent()) return new Decision.AlreadyDecided(decided.get());
            Instant now = clock.instant();
            jdbc.sql("UPDATE recepisse_files SET decided_at = :now, outcome = :outcome WHERE id = :id")
                    .param("now", utc(now)).param("outcome", outcome).param("id", file.get())
                    .update();
            // A place held for an offer of the file is released to the queue; the follow-ups still waiting are withdrawn.
            List<Reference> offered = jdbc.sql("SELECT appointment FROM requests WHERE recepisse_file = :id AND status = 'OFFERED'")
                    .param("id", file.get())
                    .query((rs, n) -> new Reference(rs.getString(1)))
                    .list();
            List<QueueEntry> withdrawn = jdbc.sql("""
                            UPDATE requests r SET status = 'WITHDRAWN', updated_at = :now
                            WHERE r.recepisse_file = :id AND r.status IN ('WAITING', 'OFFERED') RETURNING\s""" + QueueEntry.COLUMNS)
                    .param("now", utc(now)).param("id", file.get())
                    .query(QueueEntry::map)
                    .list();
            withdrawn.forEach(notices::recepisseClosed);
            for (Reference held : offered) {
                jdbc.sql("UPDATE queue_offers SET status = 'DECLINED', decided_at = :now WHERE appointment = :a AND status = 'OPEN'")
                        .param("now", utc(now)).param("a", held.value()).update();
                port.cancelBookedBy(held, Allocator.OFFER);
            }
            return new Decision.Done(file.get(), now, outcome, withdrawn.stream().map(QueueEntry::reference).toList());
        });
    }
}
