package fr.guichet.booking;

import java.util.Optional;

/** Demands that have no slot yet: the queue. Served in priority order by the allocation (queue issue). */
public interface Requests {
    /** Records a demand; the same idempotency key returns the same request. */
    QueuedRequest submit(NewRequest request);

    Optional<QueuedRequest> find(Reference reference, fr.guichet.phone.PhoneNumber phone);
}
