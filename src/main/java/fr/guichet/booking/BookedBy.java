package fr.guichet.booking;

import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Who booked, as stored in {@code booked_by}: null for the person themselves, {@code worker:<id>} for a social worker
 * on their behalf, or the queue's own marks. One place for the worker form, which several capabilities read.
 */
public final class BookedBy {
    private static final String WORKER = "worker:";
    private static final Pattern WORKER_ID = Pattern.compile("worker:[0-9]{1,18}");

    private BookedBy() {}

    public static String worker(long workerId) {
        return WORKER + workerId;
    }

    public static boolean byWorker(String bookedBy) {
        return bookedBy != null && bookedBy.startsWith(WORKER);
    }

    /** The worker's id, or empty when {@code bookedBy} is not a worker's well-formed mark. */
    public static OptionalLong workerId(String bookedBy) {
        if (bookedBy == null || !WORKER_ID.matcher(bookedBy).matches()) return OptionalLong.empty();
        return OptionalLong.of(Long.parseLong(bookedBy.substring(WORKER.length())));
    }
}
