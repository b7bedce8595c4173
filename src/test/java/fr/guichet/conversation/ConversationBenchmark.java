package fr.guichet.conversation;

import fr.guichet.GuichetTest;
import fr.guichet.phone.PhoneNumber;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps per second and latency per step, each step a whole turn: lock, load, engine, save in PostgreSQL, commit.
 * 10,000 distinct conversations; the answers alternate within the information flow, so no booking is made.
 * Run: {@code ./mvnw -B -Pbenchmark verify -Dtest=ConversationBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
@GuichetTest
class ConversationBenchmark {
    private static final int CONVERSATIONS = 10_000;
    private static final int WARM_UP = 5_000;
    private static final int STEPS = 40_000;
    private static final int THREADS = Integer.getInteger("benchmark.threads", 2);

    @Autowired Conversations conversations;
    @Autowired ConversationStore store;
    @Autowired PlatformTransactionManager transactionManager;

    @Test
    void stepsIncludingLoadAndSave() throws Exception {
        List<PhoneNumber> phones = new ArrayList<>();
        TransactionTemplate tx = new TransactionTemplate(transactionManager);
        for (int i = 0; i < CONVERSATIONS; i++) {
            PhoneNumber phone = PhoneNumber.parse(String.format("+336%08d", 10_000_000 + i));
            phones.add(phone);
        }
        for (int from = 0; from < CONVERSATIONS; from += 500) {
            List<PhoneNumber> batch = phones.subList(from, Math.min(from + 500, CONVERSATIONS));
            tx.executeWithoutResult(s -> batch.forEach(p -> store.save(p, new ConversationState(
                    List.of("fr", "ar", "en", "fa-AF").get(Math.floorMod(p.hashCode(), 4)), ConversationState.Mode.IN_FLOW,
                    "information", "menu", Map.of(), 0, List.of("information:menu"), Instant.now()))));
        }
        run(phones, WARM_UP);
        long started = System.nanoTime();
        long[] latencies = run(phones, STEPS);
        double seconds = (System.nanoTime() - started) / 1e9;
        Arrays.sort(latencies);
        String result = String.format("steps=%d threads=%d conversations=%d throughput=%.0f steps/s p50=%.2f ms p99=%.2f ms max=%.2f ms",
                STEPS, THREADS, CONVERSATIONS, STEPS / seconds, latencies[STEPS / 2] / 1e6, latencies[(int) (STEPS * 0.99)] / 1e6,
                latencies[STEPS - 1] / 1e6);
        System.out.println("BENCHMARK " + result);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/conversation-benchmark.txt"), result + "\n");
        assertThat(latencies[STEPS / 2]).isPositive();
    }

    /** Each answer moves the conversation on: "4" shows the price text and the "more" menu, "1" goes back to the menu. */
    private long[] run(List<PhoneNumber> phones, int steps) throws Exception {
        long[] latencies = new long[steps];
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            List<Future<?>> futures = new ArrayList<>();
            int perThread = steps / THREADS;
            for (int t = 0; t < THREADS; t++) {
                int offset = t * perThread;
                futures.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < perThread; i++) {
                        PhoneNumber phone = phones.get(random.nextInt(phones.size()));
                        String answer = random.nextBoolean() ? "4" : "1";
                        long start = System.nanoTime();
                        Turn turn = conversations.handle(new Inbound(phone, Channel.SMS, answer, "FR", false));
                        latencies[offset + i] = System.nanoTime() - start;
                        if (turn.prompts().isEmpty()) throw new IllegalStateException("no answer");
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        }
        return latencies;
    }
}
