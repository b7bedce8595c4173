package fr.guichet.booking;

import java.time.Duration;
import java.time.Instant;

/** An appointment as every channel sees it. {@code bookedBy} names the worker or staff member, or null. */
public record Appointment(
        Reference reference,
        AppointmentStatus status,
        long slotId,
        String site,
        Instant start,
        Duration duration,
        String procedure,
        Applicant applicant,
        BookingChannel channel,
        String bookedBy,
        Instant createdAt) {}
