package fr.guichet.booking;

import java.time.Instant;
import java.util.Objects;

/** Which free slots to look for; {@code site} null means any site. */
public record SlotQuery(String site, String procedure, Instant from, Instant to, int limit) {
    public SlotQuery {
        Objects.requireNonNull(procedure, "procedure");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1");
    }
}
