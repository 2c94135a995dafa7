-- An index for GET /accounts?q=: a case-insensitive substring of username, email or display name, which the API
-- asks as lower(col) LIKE '%text%' ESCAPE '!' OR-ed over the three columns. A B-tree cannot answer a LIKE with a
-- leading %, so without this every search read the whole account table twice (page and count): about 20 ms of
-- database CPU per request with 20,000 accounts, and no more than ~40 searches/s on two cores. With a trigram GIN
-- index the planner ORs one bitmap index scan per column; a search that finds a handful of accounts among 20,000
-- takes well under 1 ms. Terms shorter than 3 characters have no trigram to look up, and terms that match most
-- accounts are cheaper as a scan: the planner still chooses the scan for those, as before.
--
-- pg_trgm is a contrib extension that ships with PostgreSQL (the Debian/Ubuntu packages and the official Docker
-- images include it; managed services such as RDS, Cloud SQL and Azure allow it). Since PostgreSQL 13 it is a
-- "trusted" extension: the adsync database role can create it itself if it owns the database or has CREATE on
-- it; no superuser is needed. If the role cannot, have an administrator run, once, in the adsync database:
--     CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- (into a schema on the adsync role's search_path, e.g. public), then start adsync again: IF NOT EXISTS below
-- leaves an installed extension alone.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'adsync needs the PostgreSQL extension pg_trgm (index for account search) and the role % may not create it', current_user
            USING HINT = 'Run "CREATE EXTENSION IF NOT EXISTS pg_trgm;" as an administrator in database ' || current_database()
                         || ', or grant the role CREATE on that database; then start adsync again.';
    WHEN undefined_file THEN
        RAISE EXCEPTION 'adsync needs the PostgreSQL extension pg_trgm (index for account search), which this PostgreSQL server does not have installed'
            USING HINT = 'Install the PostgreSQL contrib modules (e.g. the postgresql-contrib package) on the database server.';
END
$$;

-- One multi-column index, one column per searched field. Not CONCURRENTLY (Flyway runs each migration in a
-- transaction): the build blocks writes to account while it runs, about 0.3 s per 20,000 accounts.
CREATE INDEX account_search_trgm_idx ON account
    USING gin (lower(username) gin_trgm_ops, lower(email) gin_trgm_ops, lower(display_name) gin_trgm_ops);
