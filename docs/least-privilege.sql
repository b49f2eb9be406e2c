-- The worker's least-privilege database role: ktrdr_worker.
--
-- The schema is created once by the database owner (an admin, never the worker):
--     DB_USER=<owner> DB_PASSWORD=... ./ktrdr db migrate      -- price_data, migration tables and Hangfire's schema
-- then this script, run by the owner in the worker's database, creates the role and grants what the worker uses:
--     psql "host=... dbname=ktrdr user=<owner>" -v worker_password='...' -f docs/least-privilege.sql
-- and the worker runs as it, with no superuser, no DDL and no right to delete or change stored bars:
--     DB_USER=ktrdr_worker DB_PASSWORD=... KTRDR_HANGFIRE_PREPARE_SCHEMA=false ./ktrdr serve
-- Idempotent: running it again resets the password and re-applies the grants. Run it again after a
-- `./ktrdr db migrate` that added tables.

\set ON_ERROR_STOP on

SELECT format('CREATE ROLE ktrdr_worker LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L', :'worker_password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ktrdr_worker') \gexec
ALTER ROLE ktrdr_worker LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'worker_password';

-- Connect, and stage bars in a temporary table when merging into a series that already has some.
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO ktrdr_worker', current_database()) \gexec
SELECT format('REVOKE CREATE ON DATABASE %I FROM ktrdr_worker', current_database()) \gexec

-- Bars: read and add, never update or delete (a conflicting bar is reported, not overwritten).
GRANT USAGE ON SCHEMA public TO ktrdr_worker;
REVOKE CREATE ON SCHEMA public FROM ktrdr_worker;
GRANT SELECT, INSERT ON price_data TO ktrdr_worker;

-- Derived timeframes (KTRDR_DERIVED_TIMEFRAMES): read the continuous aggregates `db migrate` made (none on plain
-- PostgreSQL). Their refresh policies run as their owner; where `migrate` run as this role may not refresh them
-- after an import, it says so and the policy refreshes them on its schedule.
SELECT format('GRANT SELECT ON %I TO ktrdr_worker', c.relname) FROM pg_class c
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'v' AND c.relname LIKE 'price\_data\_%' \gexec

-- The migration's own bookkeeping.
GRANT SELECT, INSERT, UPDATE ON migration_runs, migration_items, verification_results TO ktrdr_worker;
GRANT SELECT, INSERT ON rejected_rows TO ktrdr_worker;
-- Data-quality findings: a new check of a series replaces the previous one of the same source.
GRANT SELECT, INSERT, DELETE ON quality_checks, quality_findings TO ktrdr_worker;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ktrdr_worker;

-- The schema journal, read to check that the schema is up to date before a migration.
GRANT SELECT ON schemaversions TO ktrdr_worker;

-- Hangfire's job storage (schema KTRDR_HANGFIRE_SCHEMA, default hangfire): jobs, queues, locks, counters.
GRANT USAGE ON SCHEMA hangfire TO ktrdr_worker;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA hangfire TO ktrdr_worker;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA hangfire TO ktrdr_worker;
