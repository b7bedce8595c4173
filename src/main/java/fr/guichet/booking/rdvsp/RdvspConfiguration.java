package fr.guichet.booking.rdvsp;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import fr.guichet.booking.BookingBackend;
import fr.guichet.booking.Catalogue;
import fr.guichet.booking.ReferenceRegistry;
import fr.guichet.booking.TextsSentBy;
import fr.guichet.language.Texts;
import fr.guichet.notify.NoticeCalls;
import fr.guichet.notify.Outbox;
import fr.guichet.notify.TextReach;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.ZoneId;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The RDV Service Public adapter, only with {@code app.booking.backend=rdv-service-public}: then its port is the
 * {@code BookingPort} and the embedded one is not created. A missing base URL or site mapping stops the start-up.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = BookingBackend.PROPERTY, havingValue = BookingBackend.RDV_SERVICE_PUBLIC)
@EnableConfigurationProperties(RdvspProperties.class)
class RdvspConfiguration {
    private static final Logger log = LoggerFactory.getLogger(RdvspConfiguration.class);

    @Bean
    RdvspMapping rdvspMapping(RdvspProperties properties) {
        if (properties.baseUrl() == null) throw new IllegalStateException("APP_RDVSP_BASE_URL (app.rdvsp.base-url) is needed with APP_BOOKING_BACKEND=rdv-service-public");
        RdvspMapping mapping = new RdvspMapping(properties);
        if (isBlank(properties.apiKey()) && isBlank(properties.bearerToken())) {
            log.warn("RDV Service Public: neither APP_RDVSP_API_KEY nor APP_RDVSP_BEARER_TOKEN is set; calls go unauthenticated");
        }
        log.info("Booking in RDV Service Public at {} ({} sites mapped); webhooks at {}: {}", properties.baseUrl(),
                properties.sites().size(), RdvspWebhookController.PATH,
                isBlank(properties.webhookSecret()) ? "refused (no APP_RDVSP_WEBHOOK_SECRET)" : "X-Lapin-Signature checked");
        return mapping;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** The health component {@code rdvServicePublic} and the staff view's source. */
    @Bean
    BackendStatus rdvServicePublicHealthIndicator(Clock clock) {
        return new BackendStatus(clock);
    }

    @Bean
    RdvspClient rdvspClient(RdvspProperties properties, BackendStatus status, @Value("${app.time-zone:Europe/Paris}") ZoneId zone) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
        return new RdvspClient(http, properties, status, zone);
    }

    @Bean
    RdvspSlots rdvspSlots(RdvspClient client, RdvspMapping mapping, RdvspProperties properties,
                          @Value("${app.time-zone:Europe/Paris}") ZoneId zone) {
        return new RdvspSlots(client, mapping, zone, properties.slotCacheTtl());
    }

    @Bean
    RdvspAppointments rdvspAppointments(JdbcClient jdbc) {
        return new RdvspAppointments(jdbc);
    }

    @Bean
    RdvspAttempts rdvspAttempts(JdbcClient jdbc) {
        return new RdvspAttempts(jdbc);
    }

    @Bean
    RdvspJournal rdvspJournal(DataSource dataSource) throws java.sql.SQLException {
        return new RdvspJournal(dataSource);
    }

    @Bean
    RdvspBookingPort rdvspBookingPort(RdvspClient client, RdvspMapping mapping, RdvspSlots slots, RdvspAppointments appointments,
                                      RdvspAttempts attempts, JdbcClient jdbc, PlatformTransactionManager transactionManager,
                                      RdvspJournal journal, Clock clock, @Value("${app.time-zone:Europe/Paris}") ZoneId zone,
                                      Catalogue catalogue, ReferenceRegistry references, ApplicationEventPublisher events,
                                      TextsSentBy sentBy, RdvspProperties properties, RdvspOrphans orphans) {
        return new RdvspBookingPort(client, mapping, slots, appointments, attempts, jdbc, new TransactionTemplate(transactionManager),
                journal, clock, zone, catalogue, references, events, sentBy, properties, orphans);
    }

    @Bean
    RdvspOrphans rdvspOrphans(JdbcClient jdbc, RdvspClient client, PlatformTransactionManager transactionManager, Clock clock) {
        return new RdvspOrphans(jdbc, client, new TransactionTemplate(transactionManager), clock);
    }

    @Bean
    RdvspNotices rdvspNotices(Outbox outbox, Texts texts, Catalogue catalogue, TextsSentBy sentBy, TextReach reach,
                              NoticeCalls calls, Clock clock) {
        return new RdvspNotices(outbox, texts, catalogue, sentBy, reach, calls, clock);
    }

    @Bean
    RdvspReplay rdvspReplay(RdvspAttempts attempts, RdvspBookingPort port, RdvspMapping mapping, RdvspAppointments appointments,
                            RdvspNotices notices, BackendStatus status, JdbcClient jdbc, PlatformTransactionManager transactionManager,
                            Clock clock, RdvspProperties properties) {
        return new RdvspReplay(attempts, port, mapping, appointments, notices, status, jdbc, new TransactionTemplate(transactionManager),
                clock, properties);
    }

    @Bean
    RecurringTask<Void> rdvspReplayTask(RdvspReplay replay, RdvspOrphans orphans, RdvspProperties properties) {
        return Tasks.recurring("rdvsp-replay", FixedDelay.of(properties.replayInterval()))
                .execute((instance, context) -> {
                    replay.run();
                    orphans.retryDue();
                });
    }

    @Bean
    WebhookSignature rdvspWebhookSignature(RdvspProperties properties) {
        return new WebhookSignature(properties.webhookSecret());
    }

    @Bean
    RdvspWebhooks rdvspWebhooks(RdvspAppointments appointments, RdvspBookingPort port, RdvspNotices notices,
                                ReferenceRegistry references, ApplicationEventPublisher events,
                                PlatformTransactionManager transactionManager, Clock clock) {
        return new RdvspWebhooks(appointments, port, notices, references, events, new TransactionTemplate(transactionManager), clock);
    }

    @Bean
    RdvspStaffView rdvspStaffView(RdvspAppointments appointments) {
        return new RdvspStaffView(appointments);
    }
}
