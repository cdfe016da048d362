DROP TABLE staff;
DROP TABLE care_units;
DROP TABLE organizations;
DROP TABLE server_settings;
