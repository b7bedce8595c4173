package fr.guichet.worker;

import fr.guichet.booking.BookedBy;
import fr.guichet.notify.ReminderContacts;
import fr.guichet.phone.PhoneNumber;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tells the reminders who to text for a person without a phone: the worker who booked ({@code booked_by =
 * worker:<id>}), on the number the worker last opened the space from (else their first registered number), in the
 * worker's language. A deactivated worker gets nothing (docs/workers.md).
 */
@Component
class WorkerReminderContacts implements ReminderContacts {
    private final JdbcClient jdbc;

    WorkerReminderContacts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Contact> worker(String bookedBy) {
        OptionalLong workerId = BookedBy.workerId(bookedBy);
        if (workerId.isEmpty()) return Optional.empty();
        long id = workerId.getAsLong();
        record Row(String phone, String language) {}
        return jdbc.sql("""
                        SELECT p.phone, w.language FROM workers w JOIN worker_phones p ON p.worker_id = w.id
                        LEFT JOIN worker_sessions s ON s.phone = p.phone AND s.worker_id = w.id
                        WHERE w.id = ? AND w.active
                        ORDER BY s.authenticated_until DESC NULLS LAST, p.phone
                        LIMIT 1""")
                .param(id)
                .query(Row.class)
                .optional()
                .map(r -> new Contact(new PhoneNumber(r.phone()), r.language()));
    }
}
