-- A transfer, once recorded, is never changed or removed: the audit trail is the database's
-- own rule, not only the app's. A correction is a new transfer the other way.
CREATE TRIGGER transfers_no_update BEFORE UPDATE ON transfers
BEGIN
  SELECT RAISE(ABORT, 'transfers are append-only: record a correcting transfer instead');
END;

CREATE TRIGGER transfers_no_delete BEFORE DELETE ON transfers
BEGIN
  SELECT RAISE(ABORT, 'transfers are append-only: record a correcting transfer instead');
END;
