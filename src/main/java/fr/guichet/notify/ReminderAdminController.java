package fr.guichet.notify;

import static fr.guichet.notify.ReminderScheduler.utc;

import fr.guichet.phone.PhoneNumber;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Staff view of a day's reminders (behind the staff token, fr.guichet.staff): for each appointment, whether the
 * person confirmed, and what became of each reminder — texted (and the outbox's status), called (each attempt and
 * the keys pressed), skipped and why. Numbers are masked.
 */
@RestController
class ReminderAdminController {
    record CallView(int attempt, Instant dueAt, String status, String keys, Integer durationSeconds) {}

    record ReminderView(String offset, Instant nominalAt, Instant dueAt, String status, String reason, String channel,
                        String recipient, String to, Instant sentAt, Instant answeredAt, String textStatus, List<CallView> calls) {}

    record AppointmentView(String reference, String site, Instant start, String status, Instant confirmedAt, String confirmedVia,
                           List<ReminderView> reminders) {}

    private final JdbcClient jdbc;
    private final ReminderSettings settings;

    ReminderAdminController(JdbcClient jdbc, ReminderSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    @GetMapping("/api/v1/admin/reminders")
    List<AppointmentView> day(@RequestParam String day, @RequestParam(required = false) String site) {
        LocalDate date = LocalDate.parse(day);
        Instant from = date.atStartOfDay(settings.zone()).toInstant();
        Instant to = date.plusDays(1).atStartOfDay(settings.zone()).toInstant();
        record Row(String reference, String site, OffsetDateTime startAt, String status, OffsetDateTime confirmedAt, String confirmedVia,
                   Long reminderId, String offsetIso, OffsetDateTime nominalAt, OffsetDateTime dueAt, String reminderStatus, String reason,
                   String channel, String recipient, String toNumber, OffsetDateTime sentAt, OffsetDateTime answeredAt, String textStatus) {}
        List<Row> rows = jdbc.sql("""
                SELECT a.reference, a.site, a.start_at, a.status, a.confirmed_at, a.confirmed_via,
                       r.id AS reminder_id, r.offset_iso, r.nominal_at, r.due_at, r.status AS reminder_status, r.reason, r.channel,
                       r.recipient, r.to_number, r.sent_at, r.answered_at, o.status AS text_status
                FROM reminder_appointments a
                LEFT JOIN reminders r ON r.reference = a.reference
                LEFT JOIN sms_outbox o ON o.purpose_key = 'reminder:' || r.reference || ':' || r.offset_iso
                WHERE a.start_at >= :from AND a.start_at < :to AND (CAST(:site AS TEXT) IS NULL OR a.site = :site)
                ORDER BY a.start_at, a.reference, r.nominal_at
                LIMIT 5000
                """).param("from", utc(from)).param("to", utc(to)).param("site", site).query(Row.class).list();
        record Call(long reminderId, int attempt, OffsetDateTime dueAt, String status, String keys, Integer durationS) {}
        Map<Long, List<CallView>> calls = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT c.reminder_id, c.attempt, c.due_at, c.status, c.keys, c.duration_s FROM reminder_calls c
                JOIN reminders r ON r.id = c.reminder_id JOIN reminder_appointments a ON a.reference = r.reference
                WHERE a.start_at >= :from AND a.start_at < :to ORDER BY c.reminder_id, c.attempt
                """).param("from", utc(from)).param("to", utc(to)).query(Call.class).list()
                .forEach(c -> calls.computeIfAbsent(c.reminderId(), k -> new ArrayList<>())
                        .add(new CallView(c.attempt(), instant(c.dueAt()), c.status(), c.keys(), c.durationS())));
        Map<String, AppointmentView> out = new LinkedHashMap<>();
        for (Row r : rows) {
            AppointmentView view = out.computeIfAbsent(r.reference().strip(), ref -> new AppointmentView(ref, r.site(), instant(r.startAt()),
                    r.status(), instant(r.confirmedAt()), r.confirmedVia(), new ArrayList<>()));
            if (r.reminderId() == null) continue;
            view.reminders().add(new ReminderView(r.offsetIso(), instant(r.nominalAt()), instant(r.dueAt()), r.reminderStatus(), r.reason(),
                    r.channel(), r.recipient(), r.toNumber() == null ? null : new PhoneNumber(r.toNumber()).masked(), instant(r.sentAt()),
                    instant(r.answeredAt()), r.textStatus(), calls.getOrDefault(r.reminderId(), List.of())));
        }
        return List.copyOf(out.values());
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    @ExceptionHandler(DateTimeParseException.class)
    ResponseEntity<ProblemDetail> badDay(DateTimeParseException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, "day must be a date such as 2026-03-30");
        problem.setTitle("Invalid day");
        return ResponseEntity.unprocessableContent().body(problem);
    }
}
