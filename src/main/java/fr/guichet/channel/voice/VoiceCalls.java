package fr.guichet.channel.voice;

import fr.guichet.phone.PhoneNumber;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Calls in progress and what was answered at each step (PostgreSQL, plain SQL). */
final class VoiceCalls {
    record Call(String callSid, PhoneNumber phone, String country, String language, boolean slow, boolean keypadOnly,
                int speechMisses, int silentTurns, boolean slowHintSaid, boolean keypadNotice, boolean eightFree,
                boolean reminderThenHangup, String openStream, String status) {}

    record CallbackRequest(long id, String phone, String language, String siteCode, Instant requestedAt) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    VoiceCalls(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    void start(String callSid, PhoneNumber phone, String country) {
        Instant now = clock.instant();
        jdbc.sql("""
                INSERT INTO voice_call (call_sid, phone, from_country, started_at, updated_at)
                VALUES (:sid, :phone, :country, :now, :now) ON CONFLICT (call_sid) DO NOTHING""")
                .param("sid", callSid).param("phone", phone.e164()).param("country", country)
                .param("now", java.sql.Timestamp.from(now)).update();
    }

    Optional<Call> find(String callSid) {
        return jdbc.sql("SELECT * FROM voice_call WHERE call_sid = :sid").param("sid", callSid)
                .query((rs, i) -> new Call(rs.getString("call_sid"), new PhoneNumber(rs.getString("phone")),
                        rs.getString("from_country"), rs.getString("language"), rs.getBoolean("slow_speech"),
                        rs.getBoolean("keypad_only"), rs.getInt("speech_misses"), rs.getInt("silent_turns"),
                        rs.getBoolean("slow_hint_said"), rs.getBoolean("keypad_notice"), rs.getBoolean("eight_free"),
                        rs.getBoolean("reminder_then_hangup"), rs.getString("open_stream"), rs.getString("status")))
                .optional();
    }

    /** Serialises the webhooks of one call (Twilio may retry one while the first is still running). Needs a transaction. */
    void lock(String callSid) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('voice-call:' || :sid))").param("sid", callSid).query(Object.class).list();
    }

    Optional<String> answered(String callSid, int step) {
        return jdbc.sql("SELECT twiml FROM voice_call_step WHERE call_sid = :sid AND step = :step")
                .param("sid", callSid).param("step", step).query(String.class).optional();
    }

    void saveAnswer(String callSid, int step, String twiml) {
        jdbc.sql("INSERT INTO voice_call_step (call_sid, step, twiml, created_at) VALUES (:sid, :step, :twiml, :now)")
                .param("sid", callSid).param("step", step).param("twiml", twiml)
                .param("now", java.sql.Timestamp.from(clock.instant())).update();
    }

    void update(String callSid, String column, Object value) {
        // Column names come from this class only, never from a request.
        jdbc.sql("UPDATE voice_call SET " + column + " = :v, updated_at = :now WHERE call_sid = :sid")
                .param("v", value).param("now", java.sql.Timestamp.from(clock.instant())).param("sid", callSid).update();
    }

    void language(String callSid, String tag) { update(callSid, "language", tag); }

    void slow(String callSid, boolean slow) { update(callSid, "slow_speech", slow); }

    void silentTurns(String callSid, int n) { update(callSid, "silent_turns", n); }

    void slowHintSaid(String callSid) { update(callSid, "slow_hint_said", true); }

    void eightFree(String callSid, boolean free) { update(callSid, "eight_free", free); }

    void reminderThenHangup(String callSid, boolean hangup) { update(callSid, "reminder_then_hangup", hangup); }

    void openStream(String callSid, String name) { update(callSid, "open_stream", name); }

    void keypadNoticeSaid(String callSid) { update(callSid, "keypad_notice", false); }

    /** A speech attempt that matched nothing; after {@code max} misses in a row the call is keypad only. Returns whether it is. */
    boolean speechMissed(String callSid, int max) {
        // In an UPDATE every right-hand side sees the old row, so the order of the assignments does not matter.
        return jdbc.sql("""
                UPDATE voice_call SET speech_misses = speech_misses + 1,
                       keypad_notice = keypad_notice OR (NOT keypad_only AND speech_misses + 1 >= :max),
                       keypad_only = keypad_only OR speech_misses + 1 >= :max,
                       updated_at = :now
                WHERE call_sid = :sid RETURNING keypad_only""")
                .param("max", max).param("sid", callSid).param("now", java.sql.Timestamp.from(clock.instant()))
                .query(Boolean.class).optional().orElse(false);
    }

    void speechMatched(String callSid) { update(callSid, "speech_misses", 0); }

    void status(String callSid, String status, Integer durationSeconds) {
        Instant now = clock.instant();
        jdbc.sql("INSERT INTO voice_call_status (call_sid, status, duration_s, received_at) VALUES (:sid, :status, :d, :now)")
                .param("sid", callSid).param("status", status).param("d", durationSeconds).param("now", java.sql.Timestamp.from(now)).update();
        jdbc.sql("UPDATE voice_call SET status = :status, duration_s = COALESCE(:d, duration_s), updated_at = :now WHERE call_sid = :sid")
                .param("sid", callSid).param("status", status).param("d", durationSeconds).param("now", java.sql.Timestamp.from(now)).update();
    }

    void callbackRequested(String callSid, PhoneNumber phone, String language, String siteCode) {
        jdbc.sql("""
                INSERT INTO voice_callback_request (call_sid, phone, language, site_code, requested_at)
                VALUES (:sid, :phone, :language, :site, :now) ON CONFLICT (call_sid) DO NOTHING""")
                .param("sid", callSid).param("phone", phone.e164()).param("language", language).param("site", siteCode)
                .param("now", java.sql.Timestamp.from(clock.instant())).update();
    }

    List<CallbackRequest> openCallbacks(int limit) {
        return jdbc.sql("""
                SELECT id, phone, language, site_code, requested_at FROM voice_callback_request
                WHERE done_at IS NULL ORDER BY requested_at, id LIMIT :limit""")
                .param("limit", limit)
                .query((rs, i) -> new CallbackRequest(rs.getLong("id"), rs.getString("phone"), rs.getString("language"),
                        rs.getString("site_code"), rs.getTimestamp("requested_at").toInstant()))
                .list();
    }

    /** Marks a call-back request handled; false when there is no such open request. */
    boolean callbackDone(long id) {
        return jdbc.sql("UPDATE voice_callback_request SET done_at = :now WHERE id = :id AND done_at IS NULL")
                .param("id", id).param("now", java.sql.Timestamp.from(clock.instant())).update() == 1;
    }

    void reminderPreference(String reference, PhoneNumber phone, String language, boolean wantsCall) {
        jdbc.sql("""
                INSERT INTO voice_reminder_preference (reference, phone, language, wants_call, recorded_at)
                VALUES (:ref, :phone, :language, :wants, :now)
                ON CONFLICT (reference) DO UPDATE SET wants_call = EXCLUDED.wants_call, recorded_at = EXCLUDED.recorded_at""")
                .param("ref", reference).param("phone", phone.e164()).param("language", language).param("wants", wantsCall)
                .param("now", java.sql.Timestamp.from(clock.instant())).update();
    }
}
