-- Data-quality checks (warnings, never rejections): one row per check of a series, and its findings (the first ones
-- of each kind; quality_checks.counts has them all). source: 'run' (a migration's verification, with run_id),
-- 'verify', 'nightly' or 'on-demand'. A new check of a series replaces the previous one of the same source and run.
CREATE TABLE IF NOT EXISTS quality_checks (
    id           bigserial   PRIMARY KEY,
    checked_at   timestamptz NOT NULL DEFAULT now(),
    source       text        NOT NULL,
    run_id       bigint      REFERENCES migration_runs (id) ON DELETE CASCADE,
    symbol       text        NOT NULL,
    timeframe    text        NOT NULL,
    bars         bigint      NOT NULL,
    first_time   timestamptz,
    last_time    timestamptz,
    findings     bigint      NOT NULL,
    missing_bars bigint      NOT NULL,
    allowed      bigint      NOT NULL,
    counts       jsonb       NOT NULL,
    notes        text        NOT NULL DEFAULT ''
);

CREATE INDEX IF NOT EXISTS quality_checks_series ON quality_checks (symbol, timeframe, checked_at);
CREATE INDEX IF NOT EXISTS quality_checks_run ON quality_checks (run_id);

CREATE TABLE IF NOT EXISTS quality_findings (
    check_id   bigint           NOT NULL REFERENCES quality_checks (id) ON DELETE CASCADE,
    ordinal    integer          NOT NULL,
    kind       text             NOT NULL,
    start_time timestamptz      NOT NULL,
    end_time   timestamptz      NOT NULL,
    bars       bigint           NOT NULL,
    size       double precision NOT NULL,
    detail     text             NOT NULL,
    PRIMARY KEY (check_id, ordinal)
);
