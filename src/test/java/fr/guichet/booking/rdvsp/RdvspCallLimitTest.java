package fr.guichet.booking.rdvsp;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A slow backend holds at most {@code app.rdvsp.max-concurrent-calls} (8) bookings at once, each with one of the
 * service's pooled connections: the bookings above it are told the backend is unavailable (503 on the web; the
 * conversation queues the request) instead of waiting with the rest of the service for a connection.
 */
class RdvspCallLimitTest extends RdvspServiceTest {
    private static final int BOOKINGS = 20;
    private static final int LIMIT = 8;

    @Test
    void aSlowBackendGetsAtMostEightBookingsAtOnceAndTheOthersAreToldItIsUnavailable() throws Exception {
        stubs.healthy();
        // Slower than the limit's wait (1 s), within the adapter's timeout here (2 s).
        backend.stubFor(post(urlPathEqualTo(RdvspStubs.API + "/rdvs")).willReturn(RdvspStubs.booked().withFixedDelay(1_500)));
        long slot = slotIds().getFirst();
        Instant since = Instant.now();
        ExecutorService clients = Executors.newFixedThreadPool(BOOKINGS);
        CountDownLatch ready = new CountDownLatch(BOOKINGS);
        try {
            List<CompletableFuture<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < BOOKINGS; i++) {
                String key = "limit-" + System.nanoTime() + "-" + i;
                String birthDate = "1980-02-%02d".formatted(i + 1);
                answers.add(CompletableFuture.supplyAsync(() -> {
                    ready.countDown();
                    awaitQuietly(ready);
                    return bookOnTheWeb(key, slot, freshNumber(), "fr", birthDate);
                }, clients));
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            int booked = 0;
            int unavailable = 0;
            for (CompletableFuture<Answer> f : answers) {
                Answer a = f.join();
                if (a.status() == 201) {
                    booked++;
                } else {
                    assertThat(a.status()).as(a.body()).isEqualTo(503);
                    assertThat(a.json().path("code").asString()).isEqualTo("backend-unavailable");
                    unavailable++;
                }
            }
            assertThat(booked).as("the first ones go through").isGreaterThanOrEqualTo(LIMIT);
            assertThat(unavailable).as("the ones above the limit are refused, not queued for a connection").isPositive();
            assertThat(mostAtOnce(since)).as("bookings at the backend at the same time").isLessThanOrEqualTo(LIMIT);
        } finally {
            clients.shutdownNow();
            stubs.bookingSucceeds();
        }
    }

    /** The most booking requests the backend was serving at the same moment, from WireMock's journal. */
    private static int mostAtOnce(Instant since) {
        record Edge(long at, int change) {}
        List<Edge> edges = new ArrayList<>();
        for (ServeEvent e : backend.getAllServeEvents()) {
            if (!e.getRequest().getUrl().startsWith(RdvspStubs.API + "/rdvs") || !e.getRequest().getMethod().getName().equals("POST")) continue;
            long start = e.getRequest().getLoggedDate().getTime();
            if (start < since.toEpochMilli()) continue;
            edges.add(new Edge(start, 1));
            edges.add(new Edge(start + e.getTiming().getTotalTime(), -1));
        }
        // An end and a start at the same millisecond: the end first, they did not overlap.
        edges.sort((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : Integer.compare(a.change(), b.change()));
        int now = 0;
        int most = 0;
        for (Edge edge : edges) {
            now += edge.change();
            most = Math.max(most, now);
        }
        assertThat(edges).as("the backend saw the bookings").isNotEmpty();
        return most;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
