-- A migration run and one item per (symbol, timeframe) file. The run's state is the fan-in point: the
-- verification job is enqueued by the one statement that sees every item final and flips verification_enqueued.
CREATE TABLE IF NOT EXISTS migration_runs (
    id                    bigserial   PRIMARY KEY,
    started_at            timestamptz NOT NULL DEFAULT now(),
    finished_at           timestamptz,
    data_dir              text        NOT NULL,
    report_dir            text        NOT NULL,
    timeframes            text[]      NOT NULL DEFAULT '{}',
    symbols               text[]      NOT NULL DEFAULT '{}',
    state                 text        NOT NULL DEFAULT 'importing',
    verification_enqueued boolean     NOT NULL DEFAULT false,
    verification_job_id   text,
    report_path           text,
    error                 text
);

CREATE TABLE IF NOT EXISTS migration_items (
    id              bigserial   PRIMARY KEY,
    run_id          bigint      NOT NULL REFERENCES migration_runs (id) ON DELETE CASCADE,
    symbol          text        NOT NULL,
    timeframe       text        NOT NULL,
    file_path       text        NOT NULL,
    file_size       bigint      NOT NULL DEFAULT 0,
    state           text        NOT NULL DEFAULT 'enqueued',
    job_id          text,
    attempts        integer     NOT NULL DEFAULT 0,
    rows_done       bigint      NOT NULL DEFAULT 0,
    rows_read       bigint,
    inserted        bigint,
    already_present bigint,
    conflicting     bigint,
    rejected        bigint,
    normalized      bigint,
    first_time      timestamptz,
    last_time       timestamptz,
    started_at      timestamptz,
    finished_at     timestamptz,
    error           text,
    verified        boolean,
    verify_message  text,
    UNIQUE (run_id, symbol, timeframe)
);

CREATE INDEX IF NOT EXISTS migration_items_run_state ON migration_items (run_id, state);

-- Bad input, kept where a user can query it: which file, which line, what it said, and why.
CREATE TABLE IF NOT EXISTS rejected_rows (
    item_id   bigint NOT NULL REFERENCES migration_items (id) ON DELETE CASCADE,
    line      bigint NOT NULL,
    file_path text   NOT NULL,
    raw_line  text   NOT NULL,
    reason    text   NOT NULL,
    PRIMARY KEY (item_id, line)
);

-- Results of the nightly re-verification, one row per series and check.
CREATE TABLE IF NOT EXISTS verification_results (
    id          bigserial   PRIMARY KEY,
    checked_at  timestamptz NOT NULL DEFAULT now(),
    symbol      text        NOT NULL,
    timeframe   text        NOT NULL,
    passed      boolean     NOT NULL,
    csv_rows    bigint      NOT NULL,
    db_rows     bigint      NOT NULL,
    message     text
);
