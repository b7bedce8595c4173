package fr.guichet.notify;

/**
 * Everything sent outside a TwiML reply goes through this persistent outbox: rate-limited, retried on transient
 * failures, never sent twice for the same purpose, never to an opted-out number, never lost across restarts.
 */
public interface Outbox {
    /** Queues a text; returns false (and queues nothing) when a text with the same purpose key already exists. */
    boolean enqueue(OutboundText text);
}
