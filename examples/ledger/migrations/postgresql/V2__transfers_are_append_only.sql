-- A transfer, once recorded, is never changed or removed: the audit trail is the database's
-- own rule, not only the app's. A correction is a new transfer the other way.
CREATE FUNCTION transfers_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'transfers are append-only: record a correcting transfer instead';
END;
$$;

CREATE TRIGGER transfers_append_only BEFORE UPDATE OR DELETE ON transfers
  FOR EACH ROW EXECUTE FUNCTION transfers_append_only();
