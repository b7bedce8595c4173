package fr.guichet.booking.rdvsp;

import java.time.Instant;
import java.util.Optional;

/**
 * RDV Service Public's slots have no ids, only a start at a lieu. Guichet's slot id is built from both so it can be
 * decoded back without any table: {@code id = lieuId × 10¹⁰ + minutes since 1970-01-01T00:00Z}. The minutes part
 * stays below 10¹⁰ until the year 20983; lieu ids up to 9 × 10⁸ fit in a positive long. The same slot always gets
 * the same id, whoever looks, across restarts and instances. The procedure is not in it: it comes with the booking.
 */
final class SlotIds {
    static final long MINUTES = 10_000_000_000L;
    static final long MAX_LIEU = 900_000_000L;

    record Decoded(long lieuId, Instant start) {}

    private SlotIds() {}

    static long encode(long lieuId, Instant start) {
        if (lieuId <= 0 || lieuId >= MAX_LIEU) throw new IllegalArgumentException("lieu id out of range");
        if (start.getEpochSecond() % 60 != 0 || start.getNano() != 0) throw new IllegalArgumentException("slot start not on a minute");
        long minutes = start.getEpochSecond() / 60;
        if (minutes < 0 || minutes >= MINUTES) throw new IllegalArgumentException("slot start out of range");
        return lieuId * MINUTES + minutes;
    }

    /** Empty for an id this adapter never made (negative, no lieu part). */
    static Optional<Decoded> decode(long id) {
        if (id <= MINUTES) return Optional.empty();
        long lieu = id / MINUTES;
        if (lieu >= MAX_LIEU) return Optional.empty();
        return Optional.of(new Decoded(lieu, Instant.ofEpochSecond((id % MINUTES) * 60)));
    }
}
