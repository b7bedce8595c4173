package fr.guichet.channel.voice;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.TwiML;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Parameter;
import com.twilio.twiml.voice.Pause;
import com.twilio.twiml.voice.Play;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.SsmlProsody;
import com.twilio.twiml.voice.Start;
import com.twilio.twiml.voice.Stop;
import com.twilio.twiml.voice.Stream;
import fr.guichet.booking.Reference;
import fr.guichet.conversation.Expectation;
import fr.guichet.conversation.Prompt;
import fr.guichet.conversation.Turn;
import fr.guichet.language.LanguageProfile;
import fr.guichet.language.Languages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what the conversation says into TwiML. Pure: no I/O, no clock; every URL it writes is absolute, built from
 * the public base URL, because TwiML may also be pushed through the REST API where relative URLs fail (error 15004).
 *
 * <p>Languages Twilio can speak get {@code <Say>} with the locale's voice and language; the others get {@code <Play>}
 * of their recorded prompts. Input is always a keypad {@code <Gather>} with the prompts nested in it, so a caller who
 * knows the menu can type while it plays.
 */
final class VoiceTwiml {
    /** Slower speech, for callers who ask for it (key 8): SSML prosody, understood by the Polly and Google voices. */
    static final String SLOW_RATE = "80%";

    /** One prompt and the language it is in. */
    record Line(String language, Prompt prompt) {}

    /** What follows the prompts. */
    sealed interface Ending {}

    /** Wait for keypad input; {@code numDigits} 0 means "until # or the timeout". */
    record Keypad(String action, int numDigits, Duration timeout, SpeechStream stream) implements Ending {}

    record HangUp() implements Ending {}

    /** Transfer to staff; {@code action} learns how the transfer ended. */
    record Transfer(String number, String action, Duration ringFor) implements Ending {}

    record GoTo(String url) implements Ending {}

    /** Fork the caller's audio to the speech recogniser while the prompts play. */
    record SpeechStream(String callSid, String promptId, String language) {}

    private final Languages languages;
    private final RecordedPrompts recordings;
    private final String base;

    VoiceTwiml(Languages languages, RecordedPrompts recordings, String publicBaseUrl) {
        this.languages = languages;
        this.recordings = recordings;
        this.base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    }

    String url(String pathAndQuery) {
        return base + pathAndQuery;
    }

    /** The Media Streams URL: same host as the webhooks, over {@code wss} (or {@code ws} for a plain-HTTP base). */
    String mediaStreamUrl() {
        return (base.startsWith("https://") ? "wss://" + base.substring(8) : "ws://" + base.replaceFirst("^http://", "")) + "/twilio/media";
    }

    /** How many keypad digits to wait for, and how long, for what the conversation expects. */
    static Keypad keypadFor(Expectation expect, String action, Duration baseTimeout, boolean slow, SpeechStream stream) {
        Duration extra = slow ? Duration.ofSeconds(4) : Duration.ZERO;
        return switch (expect.kind()) {
            case MENU, YES_NO -> new Keypad(action, Math.max(1, expect.maxDigits()), baseTimeout.plus(extra), stream);
            // Nothing expected but the call goes on: one key still reaches the global commands (* repeat, 0 person, 9 back).
            case NOTHING -> new Keypad(action, 1, baseTimeout.plus(extra), stream);
            // Typed entries (dates, numbers, references): longer to type; # ends them early.
            default -> new Keypad(action, Math.max(0, expect.maxDigits()), baseTimeout.plus(Duration.ofSeconds(4)).plus(extra), stream);
        };
    }

    String render(List<Line> lines, boolean slow, Ending ending) {
        return render(lines, slow, ending, null);
    }

    /** Stream names for {@code <Start><Stream name>}: one per prompt, so the next answer can stop it. */
    static String streamName(SpeechStream stream) {
        return "speech-" + stream.promptId();
    }

    /**
     * As {@link #render(List, boolean, Ending)}, first stopping the media stream started for the previous prompt: a
     * forked stream runs until stopped, and must never carry a conversation with staff or the next prompts.
     */
    String render(List<Line> lines, boolean slow, Ending ending, String streamToStop) {
        VoiceResponse.Builder response = new VoiceResponse.Builder();
        if (streamToStop != null) response.stop(new Stop.Builder().stream(new Stream.Builder().name(streamToStop).build()).build());
        List<TwiML> spoken = new ArrayList<>();
        for (Line line : lines) spoken.addAll(speak(line, slow));
        switch (ending) {
            case Keypad keypad -> {
                if (keypad.stream() != null) response.start(speechStart(keypad.stream()));
                Gather.Builder gather = new Gather.Builder()
                        .inputs(Gather.Input.DTMF)
                        .action(keypad.action())
                        .method(HttpMethod.POST)
                        .actionOnEmptyResult(true)
                        .timeout((int) Math.max(1, keypad.timeout().toSeconds()))
                        .finishOnKey("#");
                if (keypad.numDigits() > 0) gather.numDigits(keypad.numDigits());
                for (TwiML node : spoken) {
                    switch (node) {
                        case Say say -> gather.say(say);
                        case Play play -> gather.play(play);
                        case Pause pause -> gather.pause(pause);
                        default -> throw new IllegalStateException("unexpected node " + node.getClass());
                    }
                }
                response.gather(gather.build());
            }
            case HangUp ignored -> {
                addAll(response, spoken);
                response.hangup(new Hangup.Builder().build());
            }
            case Transfer transfer -> {
                addAll(response, spoken);
                response.dial(new Dial.Builder()
                        .action(transfer.action())
                        .method(HttpMethod.POST)
                        .timeout((int) transfer.ringFor().toSeconds())
                        .number(new Number.Builder(transfer.number()).build())
                        .build());
            }
            case GoTo goTo -> {
                addAll(response, spoken);
                response.redirect(new Redirect.Builder(goTo.url()).method(HttpMethod.POST).build());
            }
        }
        return response.build().toXml();
    }

    private static void addAll(VoiceResponse.Builder response, List<TwiML> spoken) {
        for (TwiML node : spoken) {
            switch (node) {
                case Say say -> response.say(say);
                case Play play -> response.play(play);
                case Pause pause -> response.pause(pause);
                default -> throw new IllegalStateException("unexpected node " + node.getClass());
            }
        }
    }

    private Start speechStart(SpeechStream stream) {
        return new Start.Builder().stream(new Stream.Builder()
                .name(streamName(stream))
                .url(mediaStreamUrl())
                .track(Stream.Track.INBOUND_TRACK)
                .parameter(new Parameter.Builder().name("callSid").value(stream.callSid()).build())
                .parameter(new Parameter.Builder().name("promptId").value(stream.promptId()).build())
                .parameter(new Parameter.Builder().name("language").value(stream.language()).build())
                .build()).build();
    }

    /** One prompt as {@code <Say>} or {@code <Play>} nodes; twice, with a pause, when it must be read twice. */
    List<TwiML> speak(Line line, boolean slow) {
        Optional<LanguageProfile> profile = languages.byTag(line.language());
        List<TwiML> once = new ArrayList<>();
        if (profile.isPresent() && profile.get().twilioVoice() != null && profile.get().twilioLanguage() != null) {
            once.add(say(profile.get(), spokenText(line.prompt()), slow));
        } else {
            once.addAll(play(line.language(), line.prompt()));
        }
        if (!line.prompt().readTwice() || once.isEmpty()) return once;
        List<TwiML> twice = new ArrayList<>(once);
        twice.add(new Pause.Builder().length(1).build());
        twice.addAll(once);
        return twice;
    }

    private static Say say(LanguageProfile profile, String text, boolean slow) {
        Say.Builder say = slow
                ? new Say.Builder().prosody(new SsmlProsody.Builder(text).rate(SLOW_RATE).build())
                : new Say.Builder(text);
        // Voices outside the SDK enums (e.g. Polly neural) are written as plain attributes.
        return say.option("voice", profile.twilioVoice()).option("language", profile.twilioLanguage()).build();
    }

    private List<TwiML> play(String language, Prompt prompt) {
        List<TwiML> out = new ArrayList<>();
        Optional<RecordedPrompts.Recording> recording = recordings.recording(language, prompt.key());
        if (recording.isEmpty()) return out;
        out.add(new Play.Builder(audioUrl(recording.get())).build());
        // A recording cannot contain what varies: the key to press and the reference are played from digit recordings.
        StringBuilder digits = new StringBuilder();
        if (prompt.args().get("digit") != null) digits.append(prompt.args().get("digit"));
        reference(prompt).ifPresent(reference -> digits.append(reference.value()));
        for (char digit : digits.toString().toCharArray()) {
            recordings.recording(language, "digit." + digit).ifPresent(r -> out.add(new Play.Builder(audioUrl(r)).build()));
        }
        return out;
    }

    String audioUrl(RecordedPrompts.Recording recording) {
        return url("/twilio/audio/" + recording.locale() + "/" + recording.fileName());
    }

    /** A reference as texts print it ("482 915 306"); spelled only when its check digit holds. */
    private static final Pattern GROUPED_REFERENCE = Pattern.compile("(?<![0-9])[0-9]{3} [0-9]{3} [0-9]{3}(?![0-9])");

    /**
     * The prompt's text with any reference spelled digit by digit ("4 8 2, 9 1 5, 3 0 6"), so no voice reads it as a
     * number: the prompt's {@code reference} argument, and any other valid reference printed in the text (the social
     * workers' list and the appointment chosen from it).
     */
    static String spokenText(Prompt prompt) {
        String text = prompt.text();
        Optional<Reference> reference = reference(prompt);
        if (reference.isPresent()) {
            String spelled = spell(reference.get());
            text = text.replace(reference.get().grouped(), spelled).replace(reference.get().value(), spelled);
        }
        Matcher grouped = GROUPED_REFERENCE.matcher(text);
        if (!grouped.find()) return text;
        StringBuilder out = new StringBuilder();
        do {
            String found = grouped.group();
            grouped.appendReplacement(out, Matcher.quoteReplacement(Reference.parse(found).map(VoiceTwiml::spell).orElse(found)));
        } while (grouped.find());
        grouped.appendTail(out);
        return out.toString();
    }

    static String spell(Reference reference) {
        String v = reference.value();
        return String.join(", ", spaced(v.substring(0, 3)), spaced(v.substring(3, 6)), spaced(v.substring(6)));
    }

    private static String spaced(String digits) {
        return String.join(" ", digits.split(""));
    }

    static Optional<Reference> reference(Prompt prompt) {
        Object value = prompt.args().get("reference");
        if (value instanceof Reference r) return Optional.of(r);
        return value == null ? Optional.empty() : Reference.parse(String.valueOf(value));
    }

    /** The language a prompt is spoken in: its own when it names one, else the turn's. */
    static List<Line> lines(Turn turn) {
        return turn.prompts().stream().map(p -> new Line(p.language() != null ? p.language() : turn.language(), p)).toList();
    }
}
