package fr.guichet.channel.voice;

import fr.guichet.booking.Catalogue;
import fr.guichet.conversation.Conversations;
import fr.guichet.language.Languages;
import fr.guichet.language.LocaleFiles;
import fr.guichet.speech.SpeechRecognition;
import fr.guichet.notify.Outbox;
import fr.guichet.notify.TextReach;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class VoiceConfiguration {
    @Bean
    RecordedPrompts recordedPrompts() {
        return RecordedPrompts.scanClasspath();
    }

    @Bean
    PhoneLanguages phoneLanguages(LocaleFiles locales, RecordedPrompts recordings) {
        return new PhoneLanguages(locales, recordings);
    }

    @Bean
    VoiceTwiml voiceTwiml(LocaleFiles locales, RecordedPrompts recordings, @Value("${app.public-base-url}") String publicBaseUrl) {
        return new VoiceTwiml(locales, recordings, publicBaseUrl);
    }

    @Bean
    VoiceCalls voiceCalls(JdbcClient jdbc, Clock clock) {
        return new VoiceCalls(jdbc, clock);
    }

    @Bean
    ListeningPrompts listeningPrompts() {
        return new ListeningPrompts();
    }

    /**
     * Speech when the speech package is in the service ({@code app.speech.enabled}, on by default), keypad only
     * otherwise. Languages whose model is missing or still loading are keypad only through {@code canListen}.
     */
    @Bean
    SpeechGate speechGate(ObjectProvider<SpeechRecognition> recognition, Languages languages) {
        SpeechRecognition available = recognition.getIfAvailable();
        return available == null ? SpeechGate.KEYPAD_ONLY : new RecognizerSpeechGate(available, languages);
    }

    @Bean
    StaffLine staffLine(Clock clock, ObjectProvider<Catalogue> catalogue,
            @Value("${app.time-zone:Europe/Paris}") ZoneId zone,
            @Value("${app.voice.staff.hours:}") String hours,
            @Value("${app.voice.staff.phone:}") String phone,
            @Value("${app.voice.staff.site:}") String site) {
        return new StaffLine(clock, zone, hours, phone, site, catalogue.getIfAvailable());
    }

    @Bean
    VoiceCallFlow voiceCallFlow(VoiceCalls calls, VoiceTwiml twiml, PhoneLanguages phoneLanguages, LocaleFiles texts,
            ObjectProvider<Conversations> conversations, ObjectProvider<Outbox> outbox, ObjectProvider<TextReach> reach, StaffLine staff,
            ObjectProvider<SpeechGate> speech, ListeningPrompts listening, TransactionTemplate tx,
            @Value("${app.voice.gather-timeout:6s}") Duration gatherTimeout) {
        // The conversation runtime and the outbox are looked up per call: they are built in other packages, and the
        // voice channel must start (and say sorry) even in a service assembled without them.
        return new VoiceCallFlow(calls, twiml, phoneLanguages, texts,
                () -> conversations.getIfAvailable(() -> { throw new IllegalStateException("No conversation runtime in this service"); }),
                outbox::getIfAvailable, phone -> {
                    TextReach known = reach.getIfAvailable();
                    return known == null ? phone.canReceiveTexts() : known.textsReach(phone);
                }, staff, speech.getIfAvailable(() -> SpeechGate.KEYPAD_ONLY), listening, tx, gatherTimeout);
    }
}
