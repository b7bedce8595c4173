/**
 * Booking in an outside RDV Service Public (the state's open-source appointment platform) instead of the embedded
 * inventory: {@code APP_BOOKING_BACKEND=rdv-service-public}. Everything here is internal; the rest of Guichet sees
 * only {@link fr.guichet.booking.BookingPort}, the booking events and the HTTP endpoints (docs/backends.md).
 */
package fr.guichet.booking.rdvsp;
