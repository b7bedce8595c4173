package fr.guichet.booking;

import java.time.ZoneId;

/**
 * A prefecture or sub-prefecture counter. {@code staffPhone} is where voice calls are transferred during opening
 * hours (may be null). Opening hours and closed days are read through {@link OpeningHours}.
 */
public record Site(String code, String name, String address, String phone, String staffPhone, ZoneId zone) {}
