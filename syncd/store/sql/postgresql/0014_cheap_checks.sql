-- Herald schema version 14 (PostgreSQL): nothing to change. Version 14 rewrote SQLite's
-- CHECKs on relay_log and deliveries as comparisons, because SQLite builds a temporary index
-- of an IN list for every row it checks; PostgreSQL tests its IN lists (= ANY of an array)
-- without one. The file keeps both dialects at the same version.
SELECT 1;
