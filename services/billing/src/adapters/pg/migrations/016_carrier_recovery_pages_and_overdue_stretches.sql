-- Finance's list of carrier recoveries is read a page at a time (ADR 017, twenty-fifth session):
-- a store's recoveries by due-by time and case id, the keyset the pages continue on. Case ids in
-- byte order (COLLATE "C"), so the order is the same whatever the database's locale.
CREATE INDEX carrier_recoveries_by_store_due ON carrier_recoveries (store_id, due_by, case_id COLLATE "C");
