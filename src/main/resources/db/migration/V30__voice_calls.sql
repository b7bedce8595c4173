-- Voice channel: calls in progress, the TwiML answered per step (Twilio retries a webhook with the same step),
-- call-back requests for staff, and reminder-call preferences taken at the end of a booking on a fixed line.

CREATE TABLE voice_call (
    call_sid        text PRIMARY KEY,
    phone           text NOT NULL,
    from_country    text,
    language        text,
    slow_speech     boolean NOT NULL DEFAULT false,
    keypad_only     boolean NOT NULL DEFAULT false,
    speech_misses   integer NOT NULL DEFAULT 0,
    silent_turns    integer NOT NULL DEFAULT 0,
    slow_hint_said  boolean NOT NULL DEFAULT false,
    keypad_notice   boolean NOT NULL DEFAULT false,  -- "use the keypad" is due once, after two speech misses
    eight_free      boolean NOT NULL DEFAULT false,  -- the last prompt leaves key 8 free for "slower"
    reminder_then_hangup boolean NOT NULL DEFAULT false,
    open_stream     text,                            -- name of the media stream started for the last prompt, to stop it
    status          text NOT NULL DEFAULT 'in-progress',
    duration_s      integer,
    started_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX voice_call_phone ON voice_call (phone);

-- One row per answered step: a retried webhook gets the same TwiML back instead of a second conversation turn.
CREATE TABLE voice_call_step (
    call_sid   text NOT NULL REFERENCES voice_call (call_sid) ON DELETE CASCADE,
    step       integer NOT NULL,
    twiml      text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (call_sid, step)
);

CREATE TABLE voice_call_status (
    id          bigserial PRIMARY KEY,
    call_sid    text NOT NULL,
    status      text NOT NULL,
    duration_s  integer,
    received_at timestamptz NOT NULL
);
CREATE INDEX voice_call_status_call ON voice_call_status (call_sid);

CREATE TABLE voice_callback_request (
    id           bigserial PRIMARY KEY,
    call_sid     text NOT NULL UNIQUE,
    phone        text NOT NULL,
    language     text NOT NULL,
    site_code    text,
    requested_at timestamptz NOT NULL,
    done_at      timestamptz
);
CREATE INDEX voice_callback_open ON voice_callback_request (requested_at) WHERE done_at IS NULL;

CREATE TABLE voice_reminder_preference (
    reference    text PRIMARY KEY,
    phone        text NOT NULL,
    language     text NOT NULL,
    wants_call   boolean NOT NULL,
    recorded_at  timestamptz NOT NULL
);
