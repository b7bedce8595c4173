package fr.guichet.conversation;

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
    ConversationRuntime conversations(ConversationEngine engine, ConversationStore store, ObjectProvider<BookingPort> port,
            ObjectProvider<Requests> requests, ObjectProvider<Catalogue> catalogue, LocaleFiles locales, Clock clock,
            PlatformTransactionManager transactionManager, @Value("${app.time-zone:Europe/Paris}") ZoneId zone,
            ObjectProvider<FlowActions> contributed, ObjectProvider<NoticeReplies> noticeReplies,
            @Value("${app.queue.horizon:P56D}") Duration horizon) {
        // Resolved per call: a build without a booking backend still answers (actions take their failure exit).
        BookingActions actions = new BookingActions(port::getObject, requests::getObject, clock, zone, horizon);
        return new ConversationRuntime(engine, store, actions, catalogue::getIfAvailable, locales, new TransactionTemplate(transactionManager),
                locales.offered().getFirst().tag(), contributed.orderedStream().toList(), noticeReplies.orderedStream().toList());
    }
}
