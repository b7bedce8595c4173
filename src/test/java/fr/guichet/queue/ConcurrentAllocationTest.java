package fr.guichet.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.guichet.booking.BookingOutcome;
import fr.guichet.booking.QueuedRequest;
import fr.guichet.booking.Slot;
import fr.guichet.phone.PhoneNumber;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Several allocations at once, as two instances would run them: two passes started together, the sweep the opening
 * of places triggers, and cancellations each giving their freed place inside their own transaction. Whatever the
 * interleaving: no place used beyond capacity, no request convoked twice, no appointment for two requests, and the
 * requests served are the first in the order of the queue.
 */
class ConcurrentAllocationTest extends QueueServiceTest {

    @Test
    void concurrentAllocationsNeverGiveAPlaceTwiceNorConvokeARequestTwice() throws Exception {
        clock.set(START.plus(Duration.ofDays(20)));
        LocalDate day = today().plusDays(7);
        // Five places booked first-come, cancelled while the allocations run: their places go to the queue too.
        List<BookingOutcome.Booked> firstCome = new ArrayList<>();
        List<PhoneNumber> firstComePhones = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Slot slot = open("QCONC", at(day.plusDays(1), 9, 0).plus(Duration.ofMinutes(30L * i)), 1);
            PhoneNumber phone = freshMobile();
            firstComePhones.add(phone);
            firstCome.add(bookFirstCome(slot.id(), phone));
        }
        List<QueuedRequest> queued = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            queued.add(queue("QCONC", "AES_VIE_PRIVEE", freshMobile(), "fr", null));
            clock.advance(Duration.ofSeconds(1));
        }
        // 10 slots of 2 places and 5 of 1: 25 places, plus the 5 freed = 30 for 40 requests.
        new org.springframework.transaction.support.TransactionTemplate(transactions).executeWithoutResult(t -> {
            for (int i = 0; i < 10; i++) open("QCONC", at(day, 9, 0).plus(Duration.ofMinutes(30L * i)), 2);
            for (int i = 0; i < 5; i++) open("QCONC", at(day.plusDays(2), 9, 0).plus(Duration.ofMinutes(30L * i)), 1);
        });

        ExecutorService pool = Executors.newFixedThreadPool(7);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < 2; i++) running.add(pool.submit(() -> { go.await(); return allocator.pass(null); }));
        for (int i = 0; i < 5; i++) {
            int n = i;
            running.add(pool.submit(() -> {
                go.await();
                return port_.cancel(firstCome.get(n).appointment().reference(), firstComePhones.get(n));
            }));
        }
        go.countDown();
        for (Future<?> f : running) f.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        allocator.sweep();
        await().atMost(Duration.ofSeconds(30)).until(() -> convoked() == 30);

        // Every slot within capacity, and its count is the appointments it holds.
        assertThat(jdbc.sql("""
                        SELECT count(*) FROM slots s WHERE s.site = 'QCONC' AND (s.booked > s.capacity OR s.booked <>
                          (SELECT count(*) FROM appointments a WHERE a.slot_id = s.id AND a.status = 'BOOKED'))""")
                .query(Integer.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM slots WHERE site = 'QCONC' AND booked < capacity").query(Integer.class).single()).isZero();
        // One appointment per convoked request, never shared, each booked for that request's own phone by the queue.
        assertThat(jdbc.sql("SELECT count(DISTINCT appointment) FROM requests WHERE site_preference = 'QCONC' AND status = 'CONVOKED'")
                .query(Integer.class).single()).isEqualTo(30);
        assertThat(jdbc.sql("""
                        SELECT count(*) FROM requests r JOIN appointments a ON a.reference = r.appointment
                        WHERE r.site_preference = 'QCONC' AND r.status = 'CONVOKED' AND a.status = 'BOOKED' AND a.channel = 'QUEUE'
                          AND a.phone = r.phone""")
                .query(Integer.class).single()).isEqualTo(30);
        assertThat(jdbc.sql("""
                        SELECT count(*) FROM (SELECT a.phone FROM appointments a JOIN slots s ON s.id = a.slot_id
                        WHERE s.site = 'QCONC' AND a.status = 'BOOKED' AND a.channel = 'QUEUE' GROUP BY a.phone HAVING count(*) > 1) twice""")
                .query(Integer.class).single()).isZero();
        // One convocation text per appointment.
        assertThat(jdbc.sql("""
                        SELECT count(*) FROM sms_outbox o JOIN requests r ON o.purpose_key = 'convocation:' || r.appointment
                        WHERE r.site_preference = 'QCONC' AND r.status = 'CONVOKED'""")
                .query(Integer.class).single()).isEqualTo(30);
        // Served in the order of the queue. Passes racing without the sweep's lease (two instances, both bypassing it,
        // as here) may swap the last places among the requests they hold at that instant — one per racing pass at
        // most; the sweep's lease and freed places going to the first request (waiting for it if held) keep the
        // order exact in service.
        int racing = 3;
        for (int i = 0; i < 40; i++) {
            if (i < 30 - racing) assertThat(status(queued.get(i))).as("request %d", i).isEqualTo("CONVOKED");
            if (i >= 30 + racing) assertThat(status(queued.get(i))).as("request %d", i).isEqualTo("WAITING");
        }
        for (QueuedRequest r : queued) {
            jdbc.sql("UPDATE requests SET status = 'WITHDRAWN' WHERE reference = :r AND status = 'WAITING'").param("r", r.reference().value()).update();
        }
    }

    private int convoked() {
        return jdbc.sql("SELECT count(*) FROM requests WHERE site_preference = 'QCONC' AND status = 'CONVOKED'").query(Integer.class).single();
    }

    @org.springframework.beans.factory.annotation.Autowired org.springframework.transaction.PlatformTransactionManager transactions;
}
