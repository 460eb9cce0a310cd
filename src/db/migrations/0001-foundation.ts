import { sql, type Kysely } from 'kysely';

/**
 * Organisation, policy taxonomy, users, sessions, tokens and the audit log.
 *
 * Scope is enforced by PostgreSQL row-level security: request transactions
 * run as the NOLOGIN role `assay_app` with the viewer's scope in transaction
 * settings (see src/db/scoped.ts). The connecting role owns the tables and so
 * bypasses RLS; it is used only for system work (migrations, demo load, CLI).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'assay_app') THEN
    CREATE ROLE assay_app NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  -- another database on this cluster created it at the same moment
  NULL;
END $$;

DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'assay_app', 'MEMBER') THEN
    EXECUTE format('GRANT assay_app TO %I', current_user);
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO assay_app;

-- The viewer's scope, set per transaction by src/db/scoped.ts.
CREATE FUNCTION assay_scope_kind() RETURNS text LANGUAGE sql STABLE AS $f$
  SELECT coalesce(nullif(current_setting('assay.scope_kind', true), ''), 'none')
$f$;
CREATE FUNCTION assay_scope_id(level text) RETURNS uuid LANGUAGE sql STABLE AS $f$
  SELECT nullif(current_setting('assay.scope_' || level, true), '')::uuid
$f$;

-- Whether a row at a given level of the organisation (vendor > site > team >
-- person) lies inside the viewer's scope. Rows above the scope's own level
-- are visible when they are the scope's ancestors (a site-scoped viewer sees
-- its vendor's name), never their siblings.
CREATE FUNCTION assay_row_visible(row_level text, v uuid, s uuid, t uuid, p uuid)
RETURNS boolean LANGUAGE sql STABLE AS $f$
  SELECT coalesce(CASE assay_scope_kind()
    WHEN 'all' THEN true
    WHEN 'vendor' THEN v = assay_scope_id('vendor')
    WHEN 'site' THEN CASE row_level
      WHEN 'vendor' THEN v = assay_scope_id('vendor')
      ELSE s = assay_scope_id('site') END
    WHEN 'team' THEN CASE row_level
      WHEN 'vendor' THEN v = assay_scope_id('vendor')
      WHEN 'site' THEN s = assay_scope_id('site')
      ELSE t = assay_scope_id('team') END
    WHEN 'self' THEN CASE row_level
      WHEN 'vendor' THEN v = assay_scope_id('vendor')
      WHEN 'site' THEN s = assay_scope_id('site')
      WHEN 'team' THEN t = assay_scope_id('team')
      ELSE p = assay_scope_id('person') END
    ELSE false
  END, false)
$f$;

CREATE FUNCTION assay_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN NEW.updated_at = now(); RETURN NEW; END
$f$;

CREATE TABLE vendors (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  code text NOT NULL CHECK (code ~ '^[A-Z0-9]{2,12}$'),
  is_in_house boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX vendors_name_key ON vendors (lower(name));
CREATE UNIQUE INDEX vendors_code_key ON vendors (code);

CREATE TABLE sites (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  vendor_id uuid NOT NULL REFERENCES vendors (id),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  country_code text NOT NULL CHECK (country_code ~ '^[A-Z]{2}$'),
  time_zone text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, vendor_id)
);
CREATE UNIQUE INDEX sites_vendor_name_key ON sites (vendor_id, lower(name));

CREATE TABLE workflows (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key text NOT NULL UNIQUE CHECK (key ~ '^[a-z][a-z0-9_]{1,48}$'),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  kind text NOT NULL CHECK (kind IN ('moderation', 'support')),
  description text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE teams (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  workflow_id uuid REFERENCES workflows (id),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (site_id, vendor_id) REFERENCES sites (id, vendor_id),
  UNIQUE (id, site_id)
);
CREATE UNIQUE INDEX teams_site_name_key ON teams (site_id, lower(name));
CREATE INDEX teams_vendor_idx ON teams (vendor_id);

CREATE TABLE people (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  full_name text NOT NULL CHECK (length(btrim(full_name)) BETWEEN 1 AND 200),
  email text,
  employee_ref text,
  job_role text NOT NULL CHECK (job_role IN
    ('agent', 'qa_specialist', 'qa_lead', 'trainer', 'manager', 'policy_sme', 'analyst')),
  hire_date date NOT NULL,
  languages text[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'on_leave', 'inactive')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (site_id, vendor_id) REFERENCES sites (id, vendor_id),
  FOREIGN KEY (team_id, site_id) REFERENCES teams (id, site_id)
);
-- Uniqueness is per vendor so that a vendor's manager can never learn, from a
-- conflict, that an address exists at another vendor.
CREATE UNIQUE INDEX people_vendor_email_key ON people (vendor_id, lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX people_vendor_employee_ref_key ON people (vendor_id, employee_ref) WHERE employee_ref IS NOT NULL;
CREATE INDEX people_site_idx ON people (site_id);
CREATE INDEX people_team_idx ON people (team_id);

CREATE TABLE person_workflow_skills (
  person_id uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  workflow_id uuid NOT NULL REFERENCES workflows (id),
  PRIMARY KEY (person_id, workflow_id)
);

CREATE TABLE enforcement_actions (
  key text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{1,48}$'),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  description text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE policies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key text NOT NULL UNIQUE CHECK (key ~ '^[a-z][a-z0-9_]{1,48}$'),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  description text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE workflow_policies (
  workflow_id uuid NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
  policy_id uuid NOT NULL REFERENCES policies (id),
  PRIMARY KEY (workflow_id, policy_id)
);

-- Versions are immutable: a change to a policy is a new version with its own
-- effective date, so a decision is always judged against the text in force
-- when it was made.
CREATE TABLE policy_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  policy_id uuid NOT NULL REFERENCES policies (id),
  version integer NOT NULL CHECK (version >= 1),
  effective_from timestamptz NOT NULL,
  summary text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  UNIQUE (policy_id, version),
  UNIQUE (policy_id, effective_from)
);

CREATE TABLE policy_labels (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  policy_version_id uuid NOT NULL REFERENCES policy_versions (id),
  key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*$'),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  severity text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
  description text NOT NULL DEFAULT '',
  position integer NOT NULL DEFAULT 0,
  UNIQUE (policy_version_id, key)
);
CREATE INDEX policy_labels_key_idx ON policy_labels (key);

CREATE TABLE policy_version_actions (
  policy_version_id uuid NOT NULL REFERENCES policy_versions (id),
  action_key text NOT NULL REFERENCES enforcement_actions (key),
  PRIMARY KEY (policy_version_id, action_key)
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  display_name text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 200),
  password_hash text,
  role text NOT NULL,
  scope_kind text NOT NULL CHECK (scope_kind IN ('all', 'vendor', 'site', 'team', 'self')),
  scope_ref_id uuid,
  person_id uuid REFERENCES people (id),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  last_sign_in_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((scope_kind = 'all') = (scope_ref_id IS NULL)),
  CHECK (role <> 'admin' OR scope_kind = 'all')
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ended_at timestamptz,
  ip text,
  user_agent text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  token_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
CREATE UNIQUE INDEX api_tokens_user_name_key ON api_tokens (user_id, lower(name)) WHERE revoked_at IS NULL;

CREATE TABLE sign_in_attempts (
  id bigserial PRIMARY KEY,
  email text NOT NULL,
  ip text,
  succeeded boolean NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_attempts_email_at_idx ON sign_in_attempts (lower(email), at);
CREATE INDEX sign_in_attempts_ip_at_idx ON sign_in_attempts (ip, at);

CREATE TABLE app_settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid,
  actor_label text NOT NULL,
  action text NOT NULL,
  entity_type text,
  entity_id text,
  vendor_id uuid,
  ip text,
  user_agent text,
  request_id text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, id DESC);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, id DESC);

-- Append-only for everyone, the table owner included.
CREATE FUNCTION assay_audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$f$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION assay_audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION assay_audit_log_is_append_only();

CREATE TRIGGER vendors_touch BEFORE UPDATE ON vendors FOR EACH ROW EXECUTE FUNCTION assay_touch_updated_at();
CREATE TRIGGER sites_touch BEFORE UPDATE ON sites FOR EACH ROW EXECUTE FUNCTION assay_touch_updated_at();
CREATE TRIGGER teams_touch BEFORE UPDATE ON teams FOR EACH ROW EXECUTE FUNCTION assay_touch_updated_at();
CREATE TRIGGER people_touch BEFORE UPDATE ON people FOR EACH ROW EXECUTE FUNCTION assay_touch_updated_at();
CREATE TRIGGER workflows_touch BEFORE UPDATE ON workflows FOR EACH ROW EXECUTE FUNCTION assay_touch_updated_at();
CREATE TRIGGER policies_touch BEFORE UPDATE ON policies FOR EACH ROW EXECUTE FUNCTION assay_touch_updated_at();
CREATE TRIGGER actions_touch BEFORE UPDATE ON enforcement_actions FOR EACH ROW EXECUTE FUNCTION assay_touch_updated_at();
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION assay_touch_updated_at();

-- Row-level security: the organisation tables are filtered by scope.
ALTER TABLE vendors ENABLE ROW LEVEL SECURITY;
ALTER TABLE sites ENABLE ROW LEVEL SECURITY;
ALTER TABLE teams ENABLE ROW LEVEL SECURITY;
ALTER TABLE people ENABLE ROW LEVEL SECURITY;
ALTER TABLE person_workflow_skills ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;

CREATE POLICY vendors_scope ON vendors TO assay_app
  USING (assay_row_visible('vendor', id, NULL, NULL, NULL));
CREATE POLICY sites_scope ON sites TO assay_app
  USING (assay_row_visible('site', vendor_id, id, NULL, NULL));
CREATE POLICY teams_scope ON teams TO assay_app
  USING (assay_row_visible('team', vendor_id, site_id, id, NULL));
CREATE POLICY people_scope ON people TO assay_app
  USING (assay_row_visible('person', vendor_id, site_id, team_id, id));
-- A skill row is visible exactly when its person is (RLS applies inside the subquery).
CREATE POLICY person_workflow_skills_scope ON person_workflow_skills TO assay_app
  USING (EXISTS (SELECT 1 FROM people p WHERE p.id = person_id));
-- Scoped viewers see audit entries about their own vendor only; entries with
-- no vendor (sign-ins, settings) only with scope all.
CREATE POLICY audit_log_read ON audit_log FOR SELECT TO assay_app
  USING (assay_scope_kind() = 'all' OR vendor_id = assay_scope_id('vendor'));
-- Anyone's action may be recorded; reading is what scope limits.
CREATE POLICY audit_log_append ON audit_log FOR INSERT TO assay_app WITH CHECK (true);
-- Users: a scoped viewer sees only their own account; only scope all sees others.
CREATE POLICY users_scope ON users TO assay_app
  USING (assay_scope_kind() = 'all' OR id = nullif(current_setting('assay.user_id', true), '')::uuid);

-- API tokens: each person manages their own.
CREATE POLICY api_tokens_owner ON api_tokens TO assay_app
  USING (user_id = nullif(current_setting('assay.user_id', true), '')::uuid);

GRANT DELETE ON app_settings TO assay_app;
GRANT SELECT, INSERT, UPDATE ON vendors, sites, teams, people, workflows, policies,
  enforcement_actions, users, sessions, api_tokens, app_settings TO assay_app;
-- Policy versions, their labels and allowed actions are immutable once written.
GRANT SELECT, INSERT ON policy_versions, policy_labels, policy_version_actions TO assay_app;
GRANT SELECT, INSERT, DELETE ON person_workflow_skills, workflow_policies TO assay_app;
GRANT SELECT, INSERT ON audit_log, sign_in_attempts TO assay_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO assay_app;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The foundation migration cannot be reverted; restore a backup instead.');
}
