package fr.guichet.speech;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Speech is on unless {@code app.speech.enabled=false}. With no model folder it is still on but every language is
 * keypad only (logged once per language); models are loaded in the background at start ({@code app.speech.warm-up}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "app.speech.enabled", havingValue = "true", matchIfMissing = true)
class SpeechConfiguration {

    @Bean(destroyMethod = "close")
    SpeechModels speechModels(SpeechProperties properties) {
        SpeechModels models = new SpeechModels(properties.modelsDir());
        properties.warmUp().forEach(models::warmUp);
        return models;
    }

    @Bean
    SpeechRecognition speechRecognition(SpeechModels models, SpeechProperties properties) {
        return new SpeechRecognition(models, properties);
    }
}
