-- A job's deletion guard (500 accounts / 20 %) and full-sync interval (1 day) default in one place: SyncJob's
-- constants, which the API applies and documents. The column defaults were a second copy (and the interval's only
-- served to fill rows that existed when V3 added the column).
ALTER TABLE sync_job
    ALTER COLUMN max_deactivations DROP DEFAULT,
    ALTER COLUMN max_deactivation_percent DROP DEFAULT,
    ALTER COLUMN full_sync_interval DROP DEFAULT;
