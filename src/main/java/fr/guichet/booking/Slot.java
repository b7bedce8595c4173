package fr.guichet.booking;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** A time at a site when {@code capacity} counters receive people; {@code free} is what is left. */
public record Slot(long id, String site, Instant start, Duration duration, int capacity, int free, Set<String> procedures) {
    public Slot {
        procedures = Set.copyOf(procedures);
    }
}
