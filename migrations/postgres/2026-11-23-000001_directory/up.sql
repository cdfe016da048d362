-- The care network's directory. Ids are UUID v7 text in the C collation, so text order is
-- creation order on both backends; name_key is the lower-cased name that prefix search uses.

CREATE TABLE server_settings (
    key TEXT COLLATE "C" PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organizations (
    id TEXT COLLATE "C" PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    hsa_id TEXT NOT NULL CONSTRAINT organizations_hsa_id_unique UNIQUE,
    municipality_code TEXT,
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX organizations_name_key ON organizations (name_key);
CREATE INDEX organizations_municipality ON organizations (municipality_code, id);

CREATE TABLE care_units (
    id TEXT COLLATE "C" PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id),
    municipality_code TEXT NOT NULL,
    hsa_id TEXT NOT NULL CONSTRAINT care_units_hsa_id_unique UNIQUE,
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX care_units_name_key ON care_units (name_key);
CREATE INDEX care_units_municipality ON care_units (municipality_code, id);
CREATE INDEX care_units_organization ON care_units (organization_id, id);
CREATE INDEX care_units_kind ON care_units (kind, id);

CREATE TABLE staff (
    id TEXT COLLATE "C" PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT COLLATE "C" NOT NULL,
    profession TEXT NOT NULL,
    care_unit_id TEXT COLLATE "C" NOT NULL REFERENCES care_units (id),
    hsa_id TEXT NOT NULL CONSTRAINT staff_hsa_id_unique UNIQUE,
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX staff_name_key ON staff (name_key);
CREATE INDEX staff_care_unit ON staff (care_unit_id, id);
