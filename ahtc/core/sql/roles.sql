-- AHTC on PostgreSQL: two roles, so the application cannot rewrite its audit log.
--
--   {owner}  owns the schema; `ahtc migrate` runs as this role (and nothing else).
--   {app}    the running application (DATABASE_URL): reads and writes every
--            table, but on core_auditevent and core_audititem only SELECT and INSERT. Not owning the
--            table, it cannot UPDATE, DELETE, TRUNCATE, ALTER it or DISABLE its
--            triggers, nor replace the trigger function.
--
-- Render with `ahtc manage db_roles --owner NAME --app NAME` (or --apply) and run
-- as a superuser after the first `ahtc migrate`, and again after restoring a
-- dump. It is idempotent. Set the passwords afterwards (psql: \password NAME).

DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{owner}') THEN
    CREATE ROLE "{owner}" LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{app}') THEN
    CREATE ROLE "{app}" LOGIN;
  END IF;
END $$;
ALTER ROLE "{owner}" NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE "{app}" NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
-- A member of the owner role would act as the owner.
REVOKE "{owner}" FROM "{app}";

DO $$ BEGIN
  EXECUTE format('GRANT CONNECT, CREATE ON DATABASE %I TO %I', current_database(), '{owner}');
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), '{app}');
END $$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO "{owner}";
GRANT USAGE ON SCHEMA public TO "{app}";

-- Everything in the schema belongs to the owner (an older setup may have let
-- the application's role own it). Sequences of serial and identity columns
-- move with their tables; functions include the audit trigger's.
DO $$ DECLARE item record; BEGIN
  FOR item IN SELECT c.oid::regclass AS name FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') LOOP
    EXECUTE format('ALTER TABLE %s OWNER TO %I', item.name, '{owner}');
  END LOOP;
  FOR item IN SELECT p.oid::regprocedure AS name FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO %I', item.name, '{owner}');
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{app}";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{app}";
ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{app}";
ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO "{app}";

-- The audit log: append and read only. USAGE on its sequence lets INSERT take
-- the next id; without UPDATE on it the app cannot setval() it either.
REVOKE ALL ON core_auditevent FROM PUBLIC, "{app}";
GRANT SELECT, INSERT ON core_auditevent TO "{app}";
DO $$ BEGIN
  EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM %I',
                 pg_get_serial_sequence('core_auditevent', 'id'), '{app}');
  EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO %I',
                 pg_get_serial_sequence('core_auditevent', 'id'), '{app}');
END $$;

-- The audit log's list entries (core_audititem): the same, append and read only.
REVOKE ALL ON core_audititem FROM PUBLIC, "{app}";
GRANT SELECT, INSERT ON core_audititem TO "{app}";
DO $$ BEGIN
  EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM %I',
                 pg_get_serial_sequence('core_audititem', 'id'), '{app}');
  EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO %I',
                 pg_get_serial_sequence('core_audititem', 'id'), '{app}');
END $$;
