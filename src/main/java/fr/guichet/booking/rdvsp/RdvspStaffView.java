package fr.guichet.booking.rdvsp;

import fr.guichet.booking.Appointment;
import fr.guichet.booking.AppointmentStatus;
import fr.guichet.booking.OutsideAppointments;
import fr.guichet.booking.Reference;
import fr.guichet.booking.StaffDesk;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The adapter's appointments on the staff desk: listed per site and day, marked attended or absent locally. */
final class RdvspStaffView implements OutsideAppointments {
    private final RdvspAppointments appointments;

    RdvspStaffView(RdvspAppointments appointments) {
        this.appointments = appointments;
    }

    @Override
    public List<Appointment> startingBetween(String site, Instant from, Instant to) {
        return appointments.startingBetween(site, from, to);
    }

    @Override
    public Optional<StaffDesk.MarkOutcome> mark(Reference reference, AppointmentStatus mark, Instant now) {
        return appointments.byReference(reference).map(held -> {
            Appointment a = held.appointment();
            if (mark == AppointmentStatus.NO_SHOW && a.start().isAfter(now)) return StaffDesk.MarkOutcome.NOT_YET_STARTED;
            if (a.status() == AppointmentStatus.CANCELLED || a.status() == AppointmentStatus.MOVED) return StaffDesk.MarkOutcome.NOT_ACTIVE;
            appointments.setStatus(reference, mark, now);
            return StaffDesk.MarkOutcome.MARKED;
        });
    }
}
