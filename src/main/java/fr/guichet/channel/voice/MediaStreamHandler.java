package fr.guichet.channel.voice;

import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * Twilio Media Streams ({@code <Start><Stream>}, inbound track only): the caller's audio while one prompt plays.
 * The {@code start} message names the call and the prompt; the audio is fed to that prompt's speech listener; a
 * confident match moves the call on (REST update, off the socket thread), a miss is counted at once (after two in a row the
 * call is keypad only). The listener is closed exactly once, whatever way the stream ends.
 */
final class MediaStreamHandler extends TextWebSocketHandler {
    private static final Logger log = LoggerFactory.getLogger(MediaStreamHandler.class);
    private static final String STATE = "guichet.mediaStream";

    /** What one socket is listening to. */
    static final class StreamState {
        ListeningPrompts.Listening prompt;
        SpeechGate.Listener listener;
        boolean done;
    }

    private final ListeningPrompts prompts;
    private final SpeechGate speech;
    private final CallMover mover;
    private final VoiceCalls calls;
    private final ExecutorService background;

    MediaStreamHandler(ListeningPrompts prompts, SpeechGate speech, CallMover mover, VoiceCalls calls, ExecutorService background) {
        this.prompts = prompts;
        this.speech = speech;
        this.mover = mover;
        this.calls = calls;
        this.background = background;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        session.getAttributes().put(STATE, new StreamState());
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
        StreamState state = (StreamState) session.getAttributes().get(STATE);
        MediaStreamMessage parsed;
        try {
            parsed = MediaStreamMessage.parse(message.getPayload());
        } catch (MediaStreamMessage.Malformed e) {
            log.warn("Media Streams: malformed frame ({}), closing the stream", e.getMessage());
            session.close(CloseStatus.BAD_DATA);
            return;
        }
        switch (parsed) {
            case MediaStreamMessage.Start start -> onStart(state, start);
            case MediaStreamMessage.Media media -> {
                if (state.listener != null && !state.done && "inbound".equals(media.track())) heard(state, state.listener.feed(media.mulaw()));
            }
            case MediaStreamMessage.Stop ignored -> {
                if (state.listener != null && !state.done) heard(state, state.listener.finish());
                session.close(CloseStatus.NORMAL);
            }
            case MediaStreamMessage.Connected ignored -> { }
            case MediaStreamMessage.Other ignored -> { }
        }
    }

    private void onStart(StreamState state, MediaStreamMessage.Start start) {
        String promptId = start.parameters().getOrDefault("promptId", "");
        String callSid = start.parameters().getOrDefault("callSid", start.callSid());
        if (!callSid.equals(start.callSid())) {
            log.warn("Media Streams: the stream's call and its callSid parameter differ; not listening");
            return;
        }
        state.prompt = prompts.find(callSid, promptId).orElse(null);
        if (state.prompt == null) return; // expired or unknown prompt: keypad only for it
        state.listener = speech.listen(state.prompt.language(), state.prompt.expect()).orElse(null);
    }

    private void heard(StreamState state, SpeechGate.Heard heard) {
        switch (heard) {
            case SpeechGate.Heard.Match match -> {
                state.done = true;
                ListeningPrompts.Listening prompt = state.prompt;
                // Only the first match for a prompt moves the call; the REST call is slow, so not on the socket thread.
                if (prompts.take(prompt.callSid(), prompt.promptId()).isPresent()) {
                    background.execute(() -> mover.moveOn(prompt.callSid(), prompt.nextStep(), match.key()));
                }
                close(state);
            }
            case SpeechGate.Heard.Miss ignored -> {
                ListeningPrompts.Listening prompt = state.prompt;
                // A miss counts only while the prompt is unanswered (the caller may have used the keypad meanwhile).
                // One short UPDATE, done before the socket acts on anything else, so the count is never late.
                if (prompts.find(prompt.callSid(), prompt.promptId()).isPresent()) {
                    calls.speechMissed(prompt.callSid(), VoiceCallFlow.SPEECH_MISSES_BEFORE_KEYPAD_ONLY);
                }
            }
            case SpeechGate.Heard.Nothing ignored -> { }
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        StreamState state = (StreamState) session.getAttributes().get(STATE);
        if (state != null) close(state);
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("Media Streams: transport error", exception);
    }

    private static void close(StreamState state) {
        SpeechGate.Listener listener = state.listener;
        state.listener = null;
        if (listener != null) {
            try {
                listener.close();
            } catch (RuntimeException e) {
                log.warn("Media Streams: closing a speech listener failed", e);
            }
        }
    }
}
