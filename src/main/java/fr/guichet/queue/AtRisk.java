package fr.guichet.queue;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Requests whose convocation deadline the capacity cannot meet (renewals: two months before the permit expires;
 * récépissé follow-ups: the margin before it runs out). A request is at risk when the expected date of its
 * convocation ({@link DelayEstimates}) falls after its deadline or cannot be estimated, or when it still waits this
 * close to the deadline ({@code app.queue.at-risk-notice}). Staff see them at {@code GET /api/v1/admin/requests/at-risk};
 * each newly at risk is counted once in an ERROR log line that names nobody.
 */
@Component
class AtRisk {
    private static final Logger log = LoggerFactory.getLogger(AtRisk.class);

    enum Reason { DEADLINE_PASSED, DEADLINE_NEAR, CAPACITY, NO_CAPACITY_DATA }

    record Risk(QueueEntry entry, DelayEstimates.Basis basis, Instant expectedBy, Reason reason) {}

    private final QueueEntries entries;
    private final DelayEstimates estimates;
    private final QueueProperties properties;
    private final Clock clock;

    AtRisk(QueueEntries entries, DelayEstimates estimates, QueueProperties properties, Clock clock) {
        this.entries = entries;
        this.estimates = estimates;
        this.properties = properties;
        this.clock = clock;
    }

    List<Risk> list() {
        Instant now = clock.instant();
        List<Risk> out = new ArrayList<>();
        Map<String, int[]> capacity = new HashMap<>();
        for (QueueEntries.Ranked ranked : entries.withDeadline(now)) {
            QueueEntry e = ranked.entry();
            DelayEstimates.Basis basis = estimates.estimate(e, ranked.position(), now, capacity);
            Instant expected = basis.expectedBy(now);
            Reason reason = null;
            if (!e.convokeBy().isAfter(now)) reason = Reason.DEADLINE_PASSED;
            else if (!e.convokeBy().isAfter(now.plus(properties.atRiskNotice()))) reason = Reason.DEADLINE_NEAR;
            else if (expected == null) reason = Reason.NO_CAPACITY_DATA;
            else if (expected.isAfter(e.convokeBy())) reason = Reason.CAPACITY;
            if (reason != null) out.add(new Risk(e, basis, expected, reason));
        }
        return out;
    }

    /** After each sweep: counts what is newly at risk, and says so once, without personal data. */
    void check() {
        List<Risk> risks = list();
        int fresh = entries.reportAtRisk(risks.stream().map(r -> r.entry().id()).toList(), clock.instant());
        if (fresh > 0) {
            log.error("Queue: {} request(s) newly at risk of missing their convocation deadline ({} at risk in all): "
                    + "open places or see GET /api/v1/admin/requests/at-risk", fresh, risks.size());
        }
    }
}
