package fr.guichet.booking;

import java.security.SecureRandom;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Draws references for appointments and requests from one space: a random eight-digit payload plus its Damm check
 * digit, registered in {@code booking_references} so the same reference is never given twice, in either table.
 * Random rather than sequential, so a reference says nothing about how many were issued and neighbours cannot be
 * guessed. Public so an outside backend's adapter ({@code booking.rdvsp}) gives its appointments references from
 * the same space.
 */
@Component
public class ReferenceRegistry {
    public enum Kind { APPOINTMENT, REQUEST }

    static final int ATTEMPTS = 20;
    private final SecureRandom random = new SecureRandom();
    private final JdbcClient jdbc;

    ReferenceRegistry(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A reference drawn but not registered: the caller registers it in {@code booking_references} with its own
     * statement (the embedded booking does it with the appointment's insert, to save a round trip).
     */
    Reference draw() {
        return Reference.fromPayload("%08d".formatted(random.nextInt(100_000_000)));
    }

    /** Registers a fresh reference in the caller's transaction. */
    public Reference register(Kind kind) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Reference candidate = draw();
            int inserted = jdbc.sql("INSERT INTO booking_references (reference, kind) VALUES (?, ?) ON CONFLICT DO NOTHING")
                    .params(candidate.value(), kind.name())
                    .update();
            if (inserted == 1) return candidate;
        }
        throw new IllegalStateException("No free reference after " + ATTEMPTS + " draws");
    }

    /** Gives back a reference registered in this transaction but not used (the booking did not happen). */
    public void release(Reference reference) {
        jdbc.sql("DELETE FROM booking_references WHERE reference = ?").param(reference.value()).update();
    }
}
