package fr.guichet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.booking.Applicant;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.BookingCommand;
import fr.guichet.booking.BookingOutcome;
import fr.guichet.booking.BookingPort;
import fr.guichet.booking.Slot;
import fr.guichet.booking.SlotQuery;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The anti-duplicate rule for people without a phone, under concurrency, on the real PostgreSQL backend. */
class WorkerBookingRulesTest extends WorkerServiceTest {
    @Autowired BookingPort bookings;

    @Test
    void eightWorkersBookingTheSamePersonWithoutPhoneAtOnceMakeOneBooking() throws Exception {
        List<Slot> slots = bookings.findSlots(new SlotQuery(null, "REMISE_TITRE", clock.instant(), clock.instant().plus(Duration.ofDays(40)), 8));
        assertThat(slots).hasSizeGreaterThanOrEqualTo(2);
        List<Callable<BookingOutcome>> attempts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long slot = slots.get(i % slots.size()).id();
            // The same person written with other spacing and case by each worker.
            String name = i % 2 == 0 ? "Mariam  Coulibaly" : "mariam coulibaly ";
            int worker = 1000 + i;
            attempts.add(() -> bookings.book(new BookingCommand("rules-" + worker, slot, "REMISE_TITRE",
                    new Applicant(name, LocalDate.of(1979, 6, 14), null, "fr"), BookingChannel.WORKER, "worker:" + worker, false)));
        }
        List<BookingOutcome> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<BookingOutcome> f : pool.invokeAll(attempts)) outcomes.add(f.get());
        }
        assertThat(outcomes).filteredOn(o -> o instanceof BookingOutcome.Booked).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o instanceof BookingOutcome.AlreadyBooked).hasSize(7);
        assertThat(jdbc.sql("SELECT count(*) FROM appointments WHERE phone IS NULL AND birth_date = '1979-06-14' AND status = 'BOOKED'")
                .query(Integer.class).single()).isEqualTo(1);
        // The places taken and given back leave the slots' counters consistent with the bookings.
        assertThat(jdbc.sql("""
                SELECT count(*) FROM slots s WHERE s.booked <> (SELECT count(*) FROM appointments a WHERE a.slot_id = s.id AND a.status = 'BOOKED')""")
                .query(Integer.class).single()).isZero();
    }
}
