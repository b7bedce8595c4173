package fr.guichet.channel.voice;

import java.net.URI;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Serves the recorded prompts Twilio plays with {@code <Play>} (only files found under {@code voice-flows/audio/}). */
@RestController
class VoiceAudioController {
    private final RecordedPrompts recordings;

    VoiceAudioController(RecordedPrompts recordings) {
        this.recordings = recordings;
    }

    @GetMapping("/twilio/audio/{locale}/{file:.+}")
    ResponseEntity<?> audio(@PathVariable String locale, @PathVariable String file) {
        // Only names found by the start-up scan are served: no path from the request reaches the class loader unchecked.
        return recordings.byFileName(locale, file)
                .<ResponseEntity<?>>map(r -> {
                    Resource resource = new ClassPathResource("voice-flows/audio/" + r.locale() + "/" + r.fileName());
                    return ResponseEntity.ok().contentType(MediaType.parseMediaType(r.contentType()))
                            .cacheControl(CacheControl.maxAge(java.time.Duration.ofHours(1)).cachePublic())
                            .body(resource);
                })
                .orElseGet(() -> {
                    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                            "No recorded prompt " + file.replaceAll("[^A-Za-z0-9_.-]", "") + " for this language.");
                    problem.setType(URI.create("about:blank"));
                    return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
                });
    }
}
