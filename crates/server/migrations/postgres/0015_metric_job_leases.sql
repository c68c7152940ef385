-- PostgreSQL twin of ../sqlite/0015_metric_job_leases.sql.
-- A running metrics job is leased by the server process computing it, which renews the
-- lease while it works; a job whose lease ran out (its process died) is taken over by
-- any server. Milliseconds since the Unix epoch; 0 (an older running job) has expired.
ALTER TABLE metric_jobs ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
