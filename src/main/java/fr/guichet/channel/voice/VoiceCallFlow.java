package fr.guichet.channel.voice;

import fr.guichet.booking.Reference;
import fr.guichet.channel.voice.VoiceTwiml.Keypad;
import fr.guichet.channel.voice.VoiceTwiml.Line;
import fr.guichet.conversation.Channel;
import fr.guichet.conversation.Conversations;
import fr.guichet.conversation.Expectation;
import fr.guichet.conversation.Inbound;
import fr.guichet.conversation.Prompt;
import fr.guichet.conversation.Turn;
import fr.guichet.language.LanguageProfile;
import fr.guichet.language.Texts;
import fr.guichet.notify.OutboundText;
import fr.guichet.notify.Outbox;
import fr.guichet.notify.TextReach;
import fr.guichet.phone.PhoneNumber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One phone call, webhook by webhook: the language menu, then conversation turns rendered as TwiML, the slower
 * voice, handover to staff, the confirmation by text or read twice, the reminder-call offer.
 *
 * <p>Each webhook carries the step number ({@code n}) the previous answer put in its action URL. The answer to a
 * step is stored in the same transaction as the conversation turn it ran, under a per-call lock, so a Twilio retry of
 * the same step gets the same TwiML back and never runs the turn (or a booking) twice.
 */
final class VoiceCallFlow {
    private static final Logger log = LoggerFactory.getLogger(VoiceCallFlow.class);
    /** Prompts that close a booking: the caller gets the confirmation by text (a mobile texts reach) or read twice. */
    static final Set<String> CONFIRMATION_KEYS = Set.of("booking.booked", "appointment.moved");
    /**
     * Texts that say "you will get a text" (joining the waiting list, a renewal registered). To a number texts do not
     * reach, the convocation comes by a call (NoticeCalls), so the caller hears instead {@code voice.no_texts.<key>},
     * the same words with "we will call you on this number".
     */
    static final Set<String> PROMISE_A_TEXT = Set.of("booking.none", "booking.queued", "queue.renewal.registered",
            "queue.renewal.soon", "queue.renewal.late");
    static final int SILENT_TURNS_BEFORE_HANGUP = 3;
    static final int SPEECH_MISSES_BEFORE_KEYPAD_ONLY = 2;
    static final Duration RING_STAFF_FOR = Duration.ofSeconds(30);
    private static final int LANGUAGES_PER_PAGE = 8;

    /** Countries whose callers most often speak these languages, first the likeliest (only to order the menu). */
    private static final Map<String, String> LIKELY_LANGUAGE = likelyLanguages();

    private final VoiceCalls calls;
    private final VoiceTwiml twiml;
    private final PhoneLanguages phoneLanguages;
    private final Texts texts;
    private final Supplier<Conversations> conversations;
    private final Supplier<Outbox> outbox;
    private final TextReach reach;
    private final StaffLine staff;
    private final SpeechGate speech;
    private final ListeningPrompts listening;
    private final TransactionTemplate tx;
    private final Duration gatherTimeout;

    VoiceCallFlow(VoiceCalls calls, VoiceTwiml twiml, PhoneLanguages phoneLanguages, Texts texts,
            Supplier<Conversations> conversations, Supplier<Outbox> outbox, TextReach reach, StaffLine staff,
            SpeechGate speech, ListeningPrompts listening, TransactionTemplate tx, Duration gatherTimeout) {
        this.calls = calls;
        this.twiml = twiml;
        this.phoneLanguages = phoneLanguages;
        this.texts = texts;
        this.conversations = conversations;
        this.outbox = outbox;
        this.reach = reach;
        this.staff = staff;
        this.speech = speech;
        this.listening = listening;
        this.tx = tx;
        this.gatherTimeout = gatherTimeout;
    }

    // ---- webhooks ------------------------------------------------------------------------------------------------

    /** A new call: welcome, then the language menu. A caller with a hidden number cannot be served (one conversation per number). */
    String newCall(String callSid, String from, String country) {
        Optional<PhoneNumber> phone = phone(from);
        if (phone.isEmpty()) {
            return twiml.render(List.of(line("fr", "voice.anonymous", Map.of()), line("en", "voice.anonymous", Map.of())),
                    false, new VoiceTwiml.HangUp());
        }
        return tx.execute(s -> {
            calls.lock(callSid);
            Optional<String> done = calls.answered(callSid, 0);
            if (done.isPresent()) return done.get();
            calls.start(callSid, phone.get(), country);
            VoiceCalls.Call call = calls.find(callSid).orElseThrow();
            String answer = languageMenu(call, 1, 0, true);
            calls.saveAnswer(callSid, 0, answer);
            return answer;
        });
    }

    String languageChosen(String callSid, int step, int page, String digits) {
        return once(callSid, step, call -> {
            List<LanguageProfile> pageLanguages = page(page);
            boolean more = hasMorePages(page);
            String input = digits.strip();
            if (more && input.equals("9")) {
                calls.silentTurns(callSid, 0);
                return languageMenu(call, step + 1, page + 1, false);
            }
            Optional<LanguageProfile> chosen = input.matches("[1-9]") && Integer.parseInt(input) <= pageLanguages.size()
                    ? Optional.of(pageLanguages.get(Integer.parseInt(input) - 1)) : Optional.empty();
            if (chosen.isEmpty()) {
                int silent = call.silentTurns() + 1;
                calls.silentTurns(callSid, silent);
                if (silent >= SILENT_TURNS_BEFORE_HANGUP) {
                    return answer(call, List.of(line(likely(call).get(0), "voice.no_input", Map.of())), false, new VoiceTwiml.HangUp());
                }
                return languageMenu(call, step + 1, page, false);
            }
            String tag = chosen.get().tag();
            String welcomedIn = likely(call).get(0);
            calls.language(callSid, tag);
            calls.silentTurns(callSid, 0);
            Turn turn = conversations.get().handle(new Inbound(call.phone(), Channel.VOICE, input, call.country(), true, tag));
            return renderTurn(reload(callSid), withoutSecondWelcome(turn, tag, welcomedIn), step + 1, List.of(), true);
        });
    }

    /**
     * The caller heard the service's welcome (it is free) in the language they then chose: the main menu's own
     * welcome would say it again. In any other language it is their first welcome in it.
     */
    static Turn withoutSecondWelcome(Turn turn, String chosen, String welcomedIn) {
        if (!chosen.equals(welcomedIn)) return turn;
        List<Prompt> prompts = turn.prompts().stream().filter(p -> !p.key().equals("main.welcome")).toList();
        return new Turn(turn.language(), prompts, turn.expect(), turn.ended(), turn.optOut(), turn.handover());
    }

    /** A keypad answer, or (with {@code speechKey}) a choice the speech recogniser heard. */
    String step(String callSid, int step, String digits, String speechKey) {
        return once(callSid, step, call -> {
            // Answered (by keypad or speech): its recogniser must not move the call or count a miss any more.
            listening.take(callSid, "p" + step);
            String input = speechKey != null && !speechKey.isBlank() ? speechKey.strip() : digits.strip();
            if (speechKey != null && !speechKey.isBlank()) calls.speechMatched(callSid);
            if (input.isEmpty()) {
                int silent = call.silentTurns() + 1;
                calls.silentTurns(callSid, silent);
                if (silent >= SILENT_TURNS_BEFORE_HANGUP) {
                    return answer(call, List.of(line(language(call), "voice.no_input", Map.of())), call.slow(), new VoiceTwiml.HangUp());
                }
            } else {
                calls.silentTurns(callSid, 0);
            }
            if (input.equals("8") && call.eightFree()) {
                boolean slow = !call.slow();
                calls.slow(callSid, slow);
                Turn again = conversations.get().handle(new Inbound(call.phone(), Channel.VOICE, "*", call.country(), false));
                return renderTurn(reload(callSid), again, step + 1,
                        List.of(line(language(call), slow ? "voice.slower_on" : "voice.slower_off", Map.of())), false);
            }
            Turn turn = conversations.get().handle(new Inbound(call.phone(), Channel.VOICE, input, call.country(), false));
            return renderTurn(call, turn, step + 1, List.of(), true);
        });
    }

    /** How the transfer to staff ended; unanswered, the caller gets a call-back request and the conversation goes on. */
    String dialed(String callSid, int step, String dialStatus) {
        return once(callSid, step, call -> {
            if ("completed".equals(dialStatus) || "answered".equals(dialStatus)) {
                return answer(call, List.of(), false, new VoiceTwiml.HangUp());
            }
            calls.callbackRequested(callSid, call.phone(), language(call), staff.now().siteCode());
            Turn again = conversations.get().handle(new Inbound(call.phone(), Channel.VOICE, "*", call.country(), false));
            return renderTurn(call, again, step + 1, List.of(line(language(call), "voice.callback_busy", Map.of())), false);
        });
    }

    /** The answer to "a reminder call the day before?", offered on fixed lines at the end of a booking. */
    String reminder(String callSid, int step, String reference, String digits) {
        return once(callSid, step, call -> {
            String lang = language(call);
            String input = digits.strip();
            Optional<Reference> ref = Reference.parse(reference);
            if (!input.equals("1") && !input.equals("2")) {
                int silent = call.silentTurns() + 1;
                calls.silentTurns(callSid, silent);
                if (silent < SILENT_TURNS_BEFORE_HANGUP && ref.isPresent()) {
                    return answer(call, List.of(line(lang, "voice.reminder_offer", Map.of())), call.slow(),
                            reminderKeypad(step + 1, ref.get(), call.slow()));
                }
                input = "2";
            }
            calls.silentTurns(callSid, 0);
            boolean wants = input.equals("1");
            ref.ifPresent(r -> calls.reminderPreference(r.value(), call.phone(), lang, wants));
            Line said = line(lang, wants ? "voice.reminder_yes" : "voice.reminder_no", Map.of());
            if (call.reminderThenHangup()) return answer(call, List.of(said), call.slow(), new VoiceTwiml.HangUp());
            Turn again = conversations.get().handle(new Inbound(call.phone(), Channel.VOICE, "*", call.country(), false));
            return renderTurn(call, again, step + 1, List.of(said), false);
        });
    }

    /** A call status callback; a call that drops mid-booking leaves the conversation where it was. */
    void status(String callSid, String status, Integer durationSeconds) {
        calls.status(callSid, status, durationSeconds);
    }

    /** The TwiML to answer when a step fails (the conversation or the database): an apology, then hang up. */
    String failure(String callSid) {
        String lang = "fr";
        try {
            lang = calls.find(callSid).map(this::language).orElse("fr");
        } catch (RuntimeException e) {
            log.debug("Voice: could not read the call's language for the apology", e);
        }
        return twiml.render(List.of(line(lang, "voice.error", Map.of())), false, new VoiceTwiml.HangUp());
    }

    // ---- turns ---------------------------------------------------------------------------------------------------

    private String renderTurn(VoiceCalls.Call call, Turn turn, int next, List<Line> before, boolean allowHandover) {
        String sid = call.callSid();
        String lang = turn.language() != null ? turn.language() : language(call);
        if (!lang.equals(call.language())) calls.language(sid, lang);
        List<Line> lines = new ArrayList<>(before);
        if (call.keypadNotice()) {
            lines.add(line(lang, "voice.keypad_only", Map.of()));
            calls.keypadNoticeSaid(sid);
        }
        if (turn.handover() && allowHandover) return handover(call, lang, turn, lines, next);

        List<Line> turnLines = new ArrayList<>(withoutTextPromises(phoneable(VoiceTwiml.lines(turn), lang, call), call));
        Optional<Reference> confirmed = Optional.empty();
        boolean textsReach = true;
        for (int i = 0; i < turnLines.size(); i++) {
            Prompt p = turnLines.get(i).prompt();
            Optional<Reference> ref = CONFIRMATION_KEYS.contains(p.key()) ? VoiceTwiml.reference(p) : Optional.empty();
            if (ref.isEmpty()) continue;
            confirmed = ref;
            textsReach = reach.textsReach(call.phone());
            if (!textsReach || !textConfirmation(call, lang, p, ref.get())) {
                // No text will arrive (fixed line, texts stopped, or no outbox): the confirmation is read twice.
                turnLines.set(i, new Line(turnLines.get(i).language(), new Prompt(p.key(), p.args(), p.text(), true, p.language())));
            } else {
                turnLines.add(i + 1, line(lang, "voice.confirmation_texted", Map.of()));
                i++;
            }
        }
        lines.addAll(turnLines);
        if (confirmed.isPresent() && !textsReach) {
            calls.reminderThenHangup(sid, turn.ended());
            lines.add(line(lang, "voice.reminder_offer", Map.of()));
            calls.eightFree(sid, false);
            return answer(call, lines, call.slow(), reminderKeypad(next, confirmed.get(), call.slow()));
        }
        if (turn.ended()) return answer(call, lines, call.slow(), new VoiceTwiml.HangUp());

        boolean eightFree = eightFree(turn.expect());
        calls.eightFree(sid, eightFree);
        if (eightFree && !call.slowHintSaid() && !call.slow()) {
            lines.add(line(lang, "voice.keys_hint", Map.of()));
            calls.slowHintSaid(sid);
        }
        VoiceTwiml.SpeechStream stream = null;
        if (!call.keypadOnly() && listensFor(turn.expect()) && speech.canListen(lang, turn.expect())) {
            stream = new VoiceTwiml.SpeechStream(sid, "p" + next, lang);
            listening.expect(stream, next, turn.expect());
        }
        String action = twiml.url("/twilio/voice/step?n=" + next);
        return answer(call, lines, call.slow(), VoiceTwiml.keypadFor(turn.expect(), action, gatherTimeout, call.slow(), stream));
    }

    /** {@link #PROMISE_A_TEXT} said with its call wording, when texts do not reach the caller's number. */
    private List<Line> withoutTextPromises(List<Line> lines, VoiceCalls.Call call) {
        if (lines.stream().noneMatch(l -> PROMISE_A_TEXT.contains(l.prompt().key())) || reach.textsReach(call.phone())) return lines;
        return lines.stream().map(l -> {
            Prompt p = l.prompt();
            if (!PROMISE_A_TEXT.contains(p.key())) return l;
            String key = "voice.no_texts." + p.key();
            return new Line(l.language(), new Prompt(key, p.args(), texts.text(l.language(), key, p.args()), p.readTwice(), p.language()));
        }).toList();
    }

    /**
     * Lines the phone can say. The conversation may speak a language the phone cannot (a Dari speaker known from SMS,
     * before recordings exist): its lines are formatted again, from their key and arguments, in the call's phone
     * language, rather than played as silence. A line naming another language in a menu is dropped when that
     * language is not on the phone.
     */
    private List<Line> phoneable(List<Line> lines, String turnLanguage, VoiceCalls.Call call) {
        List<Line> out = new ArrayList<>();
        for (Line l : lines) {
            if (phoneLanguages.byTag(l.language()).isPresent()) {
                out.add(l);
            } else if (l.language().equals(turnLanguage)) {
                String fallback = phoneFallback(call);
                Prompt p = l.prompt();
                try {
                    out.add(new Line(fallback, new Prompt(p.key(), p.args(), texts.text(fallback, p.key(), p.args()), p.readTwice(), fallback)));
                } catch (IllegalArgumentException e) {
                    log.warn("Voice: no text {} in {} to say instead of {}", p.key(), fallback, l.language());
                }
            }
        }
        return out;
    }

    private String phoneFallback(VoiceCalls.Call call) {
        if (call.language() != null && phoneLanguages.byTag(call.language()).isPresent()) return call.language();
        return likely(call).get(0);
    }

    private String handover(VoiceCalls.Call call, String lang, Turn turn, List<Line> lines, int next) {
        StaffLine.Decision decision = staff.now();
        if (decision.open() && decision.number().isPresent()) {
            lines.addAll(phoneable(VoiceTwiml.lines(turn), lang, call));
            return answer(call, lines, call.slow(),
                    new VoiceTwiml.Transfer(decision.number().get(), twiml.url("/twilio/voice/dialed?n=" + next), RING_STAFF_FOR));
        }
        // Closed, or no staff number: the engine's "I am putting you through" would be wrong; say what happens instead.
        calls.callbackRequested(call.callSid(), call.phone(), lang, decision.siteCode());
        lines.add(line(lang, "voice.callback_closed", Map.of()));
        Turn again = conversations.get().handle(new Inbound(call.phone(), Channel.VOICE, "*", call.country(), false));
        return renderTurn(call, again, next, lines, false);
    }

    /** Queues the confirmation text for a number texts reach; false when there is no outbox to send it. */
    private boolean textConfirmation(VoiceCalls.Call call, String lang, Prompt prompt, Reference reference) {
        Outbox box = outbox.get();
        if (box == null) {
            log.warn("Voice: no outbox in this service, the confirmation of a phone booking is read twice instead of texted");
            return false;
        }
        // The convocation's own purpose key: the queue's listener texts the full convocation (address, what to bring,
        // how to cancel) inside the booking's transaction, so the outbox keeps that one and this read-out is not sent twice.
        String purpose = "convocation:" + reference.value();
        box.enqueue(new OutboundText(call.phone(), purpose, prompt.text(), lang, null));
        return true;
    }

    private Keypad reminderKeypad(int next, Reference reference, boolean slow) {
        return new Keypad(twiml.url("/twilio/voice/reminder?n=" + next + "&ref=" + reference.value()), 1,
                slow ? gatherTimeout.plusSeconds(4) : gatherTimeout, null);
    }

    /** Key 8 means "slower" only where it cannot mean anything else. */
    static boolean eightFree(Expectation expect) {
        return switch (expect.kind()) {
            case NOTHING -> true;
            case MENU, YES_NO -> expect.maxDigits() <= 1 && expect.choices().stream().noneMatch(c -> c.key().equals("8"));
            default -> false;
        };
    }

    /**
     * Speech helps where the answer is one of a few words; names, dates and references stay on the keypad. A secret
     * (a social worker's PIN) is never listened to: it would reach the recogniser and the call-update URL.
     */
    static boolean listensFor(Expectation expect) {
        return switch (expect.kind()) {
            // A DATE prompt listens only when it asks a day and a month (the gate has no grammar for the others).
            case MENU, YES_NO, NUMBER, DATE -> true;
            case SECRET -> false;
            default -> false;
        };
    }

    // ---- language menu -------------------------------------------------------------------------------------------

    private String languageMenu(VoiceCalls.Call call, int next, int page, boolean welcome) {
        List<String> likely = likely(call);
        List<LanguageProfile> shown = page(page);
        List<Line> lines = new ArrayList<>();
        if (welcome) lines.add(line(likely.get(0), "voice.welcome", Map.of()));
        List<LanguageProfile> spokenOrder = new ArrayList<>();
        for (String tag : likely) shown.stream().filter(p -> p.tag().equals(tag)).findFirst().ifPresent(spokenOrder::add);
        for (LanguageProfile p : shown) if (!spokenOrder.contains(p)) spokenOrder.add(p);
        for (LanguageProfile p : spokenOrder) {
            lines.add(line(p.tag(), "voice.language_option", Map.of("digit", shown.indexOf(p) + 1)));
        }
        if (hasMorePages(page)) lines.add(line(likely.get(0), "voice.language_more", Map.of("digit", 9)));
        return answer(call, lines, false, new Keypad(twiml.url("/twilio/voice/language?n=" + next + "&page=" + page), 1,
                gatherTimeout, null));
    }

    private List<LanguageProfile> page(int page) {
        List<LanguageProfile> all = phoneLanguages.capable();
        if (all.size() <= 9) return page == 0 ? all : List.of();
        int from = Math.min(all.size(), page * LANGUAGES_PER_PAGE);
        return all.subList(from, Math.min(all.size(), from + LANGUAGES_PER_PAGE));
    }

    private boolean hasMorePages(int page) {
        int size = phoneLanguages.capable().size();
        return size > 9 && (page + 1) * LANGUAGES_PER_PAGE < size;
    }

    /** Phone-capable languages to put first: the number's last language, then its country's; French when nothing is known. */
    private List<String> likely(VoiceCalls.Call call) {
        Set<String> out = new LinkedHashSet<>();
        try {
            conversations.get().languageOf(call.phone()).ifPresent(out::add);
        } catch (RuntimeException e) {
            log.debug("Voice: no last language for the caller", e);
        }
        String country = call.country() != null && call.country().matches("[A-Za-z]{2}") ? call.country().toUpperCase() : call.phone().region();
        if (LIKELY_LANGUAGE.containsKey(country)) out.add(LIKELY_LANGUAGE.get(country));
        List<String> capable = out.stream().filter(t -> phoneLanguages.byTag(t).isPresent()).toList();
        if (!capable.isEmpty()) return capable;
        return List.of(phoneLanguages.capable().isEmpty() ? "fr" : phoneLanguages.capable().get(0).tag());
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private String once(String callSid, int step, Function<VoiceCalls.Call, String> body) {
        return tx.execute(s -> {
            calls.lock(callSid);
            Optional<String> done = calls.answered(callSid, step);
            if (done.isPresent()) return done.get();
            Optional<VoiceCalls.Call> call = calls.find(callSid);
            if (call.isEmpty()) {
                // A step for a call this service does not know (e.g. lost data): start the call again.
                return twiml.render(List.of(), false, new VoiceTwiml.GoTo(twiml.url("/twilio/voice")));
            }
            String answer = body.apply(call.get());
            calls.saveAnswer(callSid, step, answer);
            return answer;
        });
    }

    /** Renders an answer, stopping the previous prompt's media stream and remembering the one this answer starts. */
    private String answer(VoiceCalls.Call call, List<Line> lines, boolean slow, VoiceTwiml.Ending ending) {
        String started = ending instanceof Keypad keypad && keypad.stream() != null ? VoiceTwiml.streamName(keypad.stream()) : null;
        if (!java.util.Objects.equals(started, call.openStream())) calls.openStream(call.callSid(), started);
        return twiml.render(lines, slow, ending, call.openStream());
    }

    private VoiceCalls.Call reload(String callSid) {
        return calls.find(callSid).orElseThrow();
    }

    private String language(VoiceCalls.Call call) {
        return call.language() != null ? call.language() : likely(call).get(0);
    }

    /** One of the channel's own lines; in the first phone language when {@code tag} cannot be said on the phone. */
    private Line line(String tag, String key, Map<String, Object> args) {
        String said = phoneLanguages.byTag(tag).isPresent() || phoneLanguages.capable().isEmpty() ? tag : phoneLanguages.capable().get(0).tag();
        return new Line(said, new Prompt(key, args, texts.text(said, key, args), false, said));
    }

    private static Optional<PhoneNumber> phone(String from) {
        try {
            return Optional.of(new PhoneNumber(from == null ? "" : from.strip()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Map<String, String> likelyLanguages() {
        Map<String, String> m = new java.util.HashMap<>();
        for (String c : List.of("AF", "IR", "TJ")) m.put(c, "fa-AF");
        for (String c : List.of("MA", "DZ", "TN", "EG", "SD", "SY", "IQ", "LY", "JO", "LB", "YE", "SA", "PS", "MR", "KW", "QA", "AE", "OM", "BH"))
            m.put(c, "ar");
        m.put("UA", "uk");
        for (String c : List.of("RU", "BY", "KZ", "GE", "AM", "MD", "KG", "UZ")) m.put(c, "ru");
        m.put("TR", "tr");
        m.put("BD", "bn");
        for (String c : List.of("ES", "MX", "CO", "VE", "PE", "AR", "CU", "BO", "CL", "EC", "DO", "GT", "HN", "SV", "NI", "PY", "UY"))
            m.put(c, "es");
        for (String c : List.of("PT", "BR", "AO", "CV", "GW", "MZ", "ST")) m.put(c, "pt");
        for (String c : List.of("GB", "IE", "US", "CA", "NG", "GH", "SL", "LR", "GM", "IN", "PK", "KE", "UG", "ZA", "ZW")) m.put(c, "en");
        return Map.copyOf(m);
    }
}
