package fr.guichet.worker;

import java.time.Instant;
import java.util.List;

/** A registered social worker as staff see it (never the PIN or its hash). Phones in E.164. */
public record Worker(long id, String name, String organisation, List<String> phones, String language, int dailyLimit, boolean active,
        Instant lockedUntil, Instant createdAt) {
    public Worker {
        phones = List.copyOf(phones);
    }

    /** Neither the worker's name nor their numbers in clear if this ever reaches a log line. */
    @Override
    public String toString() {
        return "Worker[id=" + id + ", active=" + active + "]";
    }
}
