package fr.guichet.booking;

/** How an appointment was booked: the statistics staff need, and the rules that differ (workers' limits). */
public enum BookingChannel { SMS, VOICE, WEB, WORKER, QUEUE }
