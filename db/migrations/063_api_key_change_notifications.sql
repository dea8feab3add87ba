-- Every change that can end a key's validity (revoked, re-hashed, moved, deleted, the partner deleted) is announced on
-- the channel `api_key_changed` with the key's id, or '*' when the table is truncated. API processes that cache
-- verified keys drop them on the announcement, whoever made the change (CLI, admin API, or SQL by hand).
CREATE FUNCTION api_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('api_key_changed', '*');
  ELSE
    PERFORM pg_notify('api_key_changed', OLD.id);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER api_keys_changed AFTER UPDATE OF id, partner_id, secret_hash, revoked_at OR DELETE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION api_key_changed();

CREATE TRIGGER api_keys_truncated AFTER TRUNCATE ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION api_key_changed();
