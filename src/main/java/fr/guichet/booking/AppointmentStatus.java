package fr.guichet.booking;

/** booked → attended / no-show / cancelled; moved when replaced by another appointment. */
public enum AppointmentStatus { BOOKED, ATTENDED, NO_SHOW, CANCELLED, MOVED }
