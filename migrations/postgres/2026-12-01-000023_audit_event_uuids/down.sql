ALTER TABLE audit_events
    ALTER COLUMN id TYPE TEXT COLLATE "C" USING id::text,
    ALTER COLUMN unit_id TYPE TEXT COLLATE "C" USING unit_id::text,
    ALTER COLUMN organization_id TYPE TEXT COLLATE "C" USING organization_id::text,
    ALTER COLUMN person_id TYPE TEXT COLLATE "C" USING person_id::text;
