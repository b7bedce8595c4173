package fr.guichet.conversation;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import fr.guichet.booking.BookingPort;
import fr.guichet.booking.Catalogue;
import fr.guichet.booking.Requests;
import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the conversation runtime. The flows are loaded and checked here, so a broken flow stops the start-up. */
@Configuration(proxyBeanMethods = false)
class ConversationConfiguration {

    @Bean
    Flows flows(LocaleFiles locales) {
        Map<String, Set<String>> keys = new HashMap<>();
        for (LanguageProfile p : locales.offered()) keys.put(p.tag(), locales.patterns(p.tag()).keySet());
        return Flows.loadFromClasspath(keys);
    }

    @Bean
    ConversationEngine conversationEngine(Flows flows, LocaleFiles locales, Clock clock,
            @Value("${app.conversation.idle-timeout:PT30M}") Duration idleTimeout,
            @Value("${app.time-zone:Europe/Paris}") ZoneId zone) {
        return new ConversationEngine(flows, locales, clock, idleTimeout, zone);
    }

    @Bean
    BookingLimits bookingLimits(JdbcClient jdbc, Clock clock,
            @Value("${app.limits.booking-attempts-per-hour:3}") int attemptsPerHour,
            @Value("${app.limits.active-appointments-per-number:3}") int activePerNumber) {
        return new BookingLimits(jdbc, clock, attemptsPerHour, activePerNumber);
    }

    /** Attempts older than a day count for nothing: one db-scheduler task keeps the table small. */
    @Bean
    RecurringTask<Void> bookingAttemptsRetention(BookingLimits limits, Clock clock) {
        return Tasks.recurring("booking-attempts-retention", FixedDelay.of(Duration.ofHours(1)))
                .execute((instance, context) -> limits.forgetBefore(clock.instant().minus(Duration.ofDays(1))));
    }

    @Bean
    ConversationRuntime conversations(ConversationEngine engine, ConversationStore store, ObjectProvider<BookingPort> port,
            ObjectProvider<Requests> requests, ObjectProvider<Catalogue> catalogue, LocaleFiles locales, Clock clock,
            PlatformTransactionManager transactionManager, @Value("${app.time-zone:Europe/Paris}") ZoneId zone,
            ObjectProvider<FlowActions> contributed, ObjectProvider<NoticeReplies> noticeReplies, BookingLimits limits,
            @Value("${app.queue.horizon:P56D}") Duration horizon) {
        // Resolved per call: a build without a booking backend still answers (actions take their failure exit).
        BookingActions actions = new BookingActions(port::getObject, requests::getObject, clock, zone, horizon, limits);
        return new ConversationRuntime(engine, store, actions, catalogue::getIfAvailable, locales, new TransactionTemplate(transactionManager),
                locales.offered().getFirst().tag(), contributed.orderedStream().toList(), noticeReplies.orderedStream().toList());
    }
}
