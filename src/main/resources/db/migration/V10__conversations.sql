-- One conversation per phone number, shared by SMS and voice. The row is the truth: a person continues after a
-- restart, after hours, or on the other channel. Answers (name, birth date) live in variables only until the flow
-- ends; the engine clears them then.
CREATE TABLE conversation (
    phone      text PRIMARY KEY,
    language   text,
    mode       text        NOT NULL,
    flow       text        NOT NULL,
    node       text        NOT NULL,
    variables  jsonb       NOT NULL,
    retries    integer     NOT NULL,
    history    jsonb       NOT NULL,
    updated_at timestamptz NOT NULL,
    version    bigint      NOT NULL
);

-- For the retention job (later issue) and the staff statistics: conversations by last activity.
CREATE INDEX conversation_updated_at ON conversation (updated_at);
