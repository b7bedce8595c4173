package fr.guichet.notify;

import fr.guichet.phone.PhoneNumber;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Sends what is due in the outbox. Each tick claims due rows with {@code FOR UPDATE SKIP LOCKED} (so several instances
 * never claim the same row), marks them SENDING in a committed transaction, calls Twilio outside any transaction,
 * then records the outcome.
 *
 * <p>The window between Twilio's 201 and our commit: if the process dies there, the row stays SENDING. Its claim is
 * a lease ({@code app.sms.claim-timeout}); after it the row is either confirmed by a status callback (the callback URL
 * carries the outbox id and attempt) or put back once for one more send. A row found in that state a second time is
 * marked UNCONFIRMED for staff instead of being sent again. So a crash can cause at most one duplicate text, never a
 * lost one, and never a loop of duplicates.
 *
 * <p>The rate limit ({@code app.sms.rate-per-second}) is a token bucket per instance.
 */
@Component
class OutboxDispatcher implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);

    private final JdbcClient jdbc;
    private final TwilioSender sender;
    private final TwilioAccount account;
    private final SmsNumbers numbers;
    private final OutboxRetryPolicy retries;
    private final Clock clock;
    private final double ratePerSecond;
    private final Duration interval;
    private final Duration claimTimeout;
    private final String statusCallbackBase;
    private final int senderThreads;
    private volatile ScheduledExecutorService ticker;
    private volatile ExecutorService senders;
    private double tokens;
    private long lastRefillNanos;

    OutboxDispatcher(JdbcClient jdbc, TwilioSender sender, TwilioAccount account, SmsNumbers numbers,
                     OutboxRetryPolicy retries, Clock clock,
                     @Value("${app.sms.rate-per-second:10}") double ratePerSecond,
                     @Value("${app.sms.dispatch-interval:200ms}") Duration interval,
                     @Value("${app.sms.claim-timeout:2m}") Duration claimTimeout,
                     @Value("${app.sms.sender-threads:4}") int senderThreads,
                     @Value("${app.public-base-url}") String publicBaseUrl) {
        this.jdbc = jdbc;
        this.sender = sender;
        this.account = account;
        this.numbers = numbers;
        this.retries = retries;
        this.clock = clock;
        this.ratePerSecond = ratePerSecond;
        this.interval = interval;
        this.claimTimeout = claimTimeout;
        this.senderThreads = senderThreads;
        String base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        this.statusCallbackBase = base + "/twilio/sms/status";
    }

    @Override
    public void start() {
        senders = Executors.newFixedThreadPool(senderThreads, Thread.ofPlatform().name("sms-sender-", 0).daemon().factory());
        ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("sms-outbox").daemon().factory());
        lastRefillNanos = System.nanoTime();
        tokens = Math.max(1, ratePerSecond);
        ticker.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("SMS outbox dispatcher started: {} texts/s, checks every {} ms", ratePerSecond, interval.toMillis());
    }

    @Override
    public void stop() {
        ScheduledExecutorService t = ticker;
        ExecutorService s = senders;
        ticker = null;
        if (t != null) {
            t.shutdown();
            awaitQuietly(t);
        }
        if (s != null) {
            s.shutdown();
            awaitQuietly(s);
        }
    }

    @Override
    public boolean isRunning() {
        return ticker != null;
    }

    @Override
    public int getPhase() {
        // Stop before the web server and the data source go away.
        return Integer.MAX_VALUE - 2048;
    }

    private static void awaitQuietly(ExecutorService executor) {
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) executor.shutdownNow();
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void tick() {
        try {
            recoverStaleClaims();
            suppressFlaggedNumbers();
            if (!account.canSend()) {
                keepUnsent();
                return;
            }
            refill();
            int budget = (int) Math.floor(tokens);
            if (budget <= 0) return;
            List<Claimed> claimed = claim(budget);
            tokens -= claimed.size();
            if (claimed.isEmpty()) return;
            List<Callable<Void>> work = new ArrayList<>();
            for (Claimed row : claimed) work.add(() -> {
                sendOne(row);
                return null;
            });
            senders.invokeAll(work);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A database hiccup must not kill the ticker; the next tick tries again.
            log.error("SMS outbox tick failed", e);
        }
    }

    private void refill() {
        long nowNanos = System.nanoTime();
        tokens = Math.min(Math.max(1, ratePerSecond), tokens + (nowNanos - lastRefillNanos) / 1e9 * ratePerSecond);
        lastRefillNanos = nowNanos;
    }

    record Claimed(long id, String toNumber, String body, int attempts) {}

    private List<Claimed> claim(int limit) {
        OffsetDateTime now = now();
        return jdbc.sql("""
                UPDATE sms_outbox SET status = 'SENDING', attempts = attempts + 1, claimed_at = :now, updated_at = :now
                WHERE id IN (
                  SELECT o.id FROM sms_outbox o
                  WHERE o.status = 'PENDING' AND o.next_attempt_at <= :now
                    AND NOT EXISTS (SELECT 1 FROM sms_number n WHERE n.phone = o.to_number AND (n.opted_out OR NOT n.sms_capable))
                  ORDER BY o.next_attempt_at, o.id LIMIT :limit FOR UPDATE SKIP LOCKED)
                RETURNING id, to_number, body, attempts
                """).param("now", now).param("limit", limit).query(Claimed.class).list();
    }

    private void sendOne(Claimed row) {
        String callback = statusCallbackBase + "?outbox=" + row.id() + "&attempt=" + row.attempts();
        TwilioSender.Result result = sender.send(row.toNumber(), row.body(), callback);
        OffsetDateTime now = now();
        switch (result.outcome()) {
            case ACCEPTED -> jdbc.sql("""
                    UPDATE sms_outbox SET status = 'SENT', twilio_sid = COALESCE(twilio_sid, :sid),
                           delivery_status = COALESCE(delivery_status, :st), error_code = NULL, updated_at = :now
                    WHERE id = :id AND attempts = :attempt AND status IN ('SENDING', 'SENT')
                    """).param("sid", result.sid()).param("st", result.status()).param("now", now)
                    .param("id", row.id()).param("attempt", row.attempts()).update();
            case RETRY -> {
                if (row.attempts() >= retries.maxAttempts()) {
                    finish(row, "FAILED", result.errorCode());
                    log.warn("Text {} to {} failed after {} attempts", row.id(), masked(row.toNumber()), row.attempts());
                } else {
                    jdbc.sql("""
                            UPDATE sms_outbox SET status = 'PENDING', next_attempt_at = :next, error_code = :code, updated_at = :now
                            WHERE id = :id AND attempts = :attempt AND status = 'SENDING'
                            """).param("next", now.plus(retries.backoff(row.attempts()))).param("code", result.errorCode())
                            .param("now", now).param("id", row.id()).param("attempt", row.attempts()).update();
                }
            }
            case NOT_SMS_CAPABLE -> {
                numbers.markNotSmsCapable(row.toNumber(), result.errorCode());
                finish(row, "FAILED", result.errorCode());
                log.info("Text {}: {} cannot receive texts (Twilio {})", row.id(), masked(row.toNumber()), result.errorCode());
            }
            case OPTED_OUT -> {
                numbers.markOptedOutByTwilio(row.toNumber());
                finish(row, "FAILED", result.errorCode());
                log.info("Text {}: {} has opted out at Twilio (21610)", row.id(), masked(row.toNumber()));
            }
            case FAILED -> {
                finish(row, "FAILED", result.errorCode());
                log.warn("Text {} to {} refused by Twilio with code {}", row.id(), masked(row.toNumber()), result.errorCode());
            }
        }
    }

    private void finish(Claimed row, String status, Integer code) {
        jdbc.sql("""
                UPDATE sms_outbox SET status = :status, error_code = :code, updated_at = :now
                WHERE id = :id AND attempts = :attempt AND status = 'SENDING'
                """).param("status", status).param("code", code).param("now", now())
                .param("id", row.id()).param("attempt", row.attempts()).update();
    }

    private void recoverStaleClaims() {
        OffsetDateTime now = now();
        List<String> outcomes = jdbc.sql("""
                UPDATE sms_outbox SET status = CASE WHEN recovered THEN 'UNCONFIRMED' ELSE 'PENDING' END,
                       recovered = TRUE, next_attempt_at = :now, updated_at = :now
                WHERE status = 'SENDING' AND claimed_at < :cutoff
                RETURNING status
                """).param("now", now).param("cutoff", now.minus(claimTimeout)).query(String.class).list();
        if (!outcomes.isEmpty()) {
            long again = outcomes.stream().filter("PENDING"::equals).count();
            log.warn("SMS outbox: {} unconfirmed claims found (process stopped mid-send): {} sent once more, {} left UNCONFIRMED",
                    outcomes.size(), again, outcomes.size() - again);
        }
    }

    private void suppressFlaggedNumbers() {
        jdbc.sql("""
                UPDATE sms_outbox o SET status = CASE WHEN n.opted_out THEN 'SUPPRESSED_OPTED_OUT' ELSE 'SUPPRESSED_NOT_SMS_CAPABLE' END,
                       updated_at = :now
                FROM sms_number n
                WHERE n.phone = o.to_number AND (n.opted_out OR NOT n.sms_capable)
                  AND o.status = 'PENDING' AND o.next_attempt_at <= :now
                """).param("now", now()).update();
    }

    private void keepUnsent() {
        record Unsent(long id, String purposeKey, String toNumber) {}
        List<Unsent> rows = jdbc.sql("""
                UPDATE sms_outbox SET status = 'NOT_SENT_NO_CREDENTIALS', updated_at = :now
                WHERE status = 'PENDING' AND next_attempt_at <= :now
                RETURNING id, purpose_key, to_number
                """).param("now", now()).query(Unsent.class).list();
        for (Unsent row : rows) {
            log.info("No Twilio credentials: text {} ({}) to {} kept in the outbox, not sent",
                    row.id(), row.purposeKey().replaceAll(":.*", ":…"), masked(row.toNumber()));
        }
    }

    private static String masked(String e164) {
        try {
            return new PhoneNumber(e164).masked();
        } catch (RuntimeException e) {
            return "(number)";
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
