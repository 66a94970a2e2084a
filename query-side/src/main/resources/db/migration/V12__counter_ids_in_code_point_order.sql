-- Counter ids sort by code point, as Java and JavaScript compare them, whatever the database's locale: the stream
-- of all counters reads them in slices by id and places each change in the slice whose range holds its id.
ALTER TABLE counter_summary ALTER COLUMN counter_id TYPE VARCHAR(64) COLLATE "C";
DO $$
BEGIN
    IF to_regclass('counter_summary_next') IS NOT NULL THEN
        ALTER TABLE counter_summary_next ALTER COLUMN counter_id TYPE VARCHAR(64) COLLATE "C";
    END IF;
END $$;
