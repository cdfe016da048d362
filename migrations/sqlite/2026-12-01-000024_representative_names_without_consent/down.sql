-- The erased names are gone: there is nothing to restore, and the schema is unchanged.
SELECT 1;
