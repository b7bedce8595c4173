package fr.guichet.booking;

/** Staff opened {@code count} new slots at a site. Published inside the transaction that inserted them. */
public record SlotsOpened(String site, int count) {}
