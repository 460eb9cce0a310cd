import { sql, type Kysely } from 'kysely';

/**
 * Calibration sessions (issue 6, docs/decisions/0010): items with an expert
 * answer, participants (people, or named external raters of an imported
 * rating set), their blind ratings and the discussion notes after reveal.
 *
 * Scope: a session belongs to one vendor (vendor_id) or to the whole
 * organisation (NULL). Scope all sees every session; a vendor's people see
 * their vendor's sessions; anyone sees the sessions they are invited to.
 * Blindness is enforced here, not only in the service: a rating is visible to
 * its own participant, and to everyone else who sees the session only once it
 * is closed. The expert answer is withheld from participant views by the
 * service (its readers are the session's managers).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
CREATE TABLE calibration_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  -- 'scored': participants score with the workflow's scorecard; 'imported': external ratings loaded from a file.
  kind text NOT NULL CHECK (kind IN ('scored', 'imported')),
  workflow_id uuid REFERENCES workflows (id),
  scorecard_version_id uuid REFERENCES scorecard_versions (id),
  -- The labels and actions offered, frozen at creation: [{policyKey, policyName, labels: [{key, name, severity}]}], [{key, name}].
  label_options jsonb NOT NULL DEFAULT '[]',
  action_options jsonb NOT NULL DEFAULT '[]',
  -- For imported sessions: the name of the rated field (e.g. is_abuse).
  rating_field text,
  vendor_id uuid REFERENCES vendors (id),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  due_at timestamptz,
  created_by_user_id uuid,
  created_by_label text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  closed_by_label text,
  CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
  CHECK (kind = 'imported' OR (workflow_id IS NOT NULL AND scorecard_version_id IS NOT NULL))
);
CREATE INDEX calibration_sessions_created_idx ON calibration_sessions (created_at DESC);
CREATE INDEX calibration_sessions_vendor_idx ON calibration_sessions (vendor_id, created_at DESC);

CREATE TABLE calibration_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id uuid NOT NULL REFERENCES calibration_sessions (id),
  position integer NOT NULL CHECK (position >= 1),
  source text NOT NULL CHECK (source IN ('decision', 'gold', 'upload', 'imported')),
  decision_id uuid REFERENCES decisions (id),
  gold_item_id uuid,
  external_ref text,
  -- Content is copied in: participants of other vendors may not see the decision itself.
  content_kind text NOT NULL DEFAULT 'comment',
  content_text text,
  content_url text,
  content_language text,
  severity text CHECK (severity IN ('critical', 'high', 'medium', 'low')),
  -- The agent's decision, when the item is a decided one (the scorecard's derived questions compare with it).
  agent_labels text[],
  agent_action text,
  expert_labels text[],
  expert_action text,
  expert_answers jsonb,
  expert_note text NOT NULL DEFAULT '',
  UNIQUE (session_id, position)
);

CREATE TABLE calibration_participants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id uuid NOT NULL REFERENCES calibration_sessions (id),
  person_id uuid REFERENCES people (id),
  external_name text CHECK (length(btrim(external_name)) BETWEEN 1 AND 200),
  participant_group text NOT NULL CHECK (participant_group IN ('internal_qa', 'vendor_qa', 'trainer', 'sme', 'external')),
  vendor_id uuid,
  -- Invitation order: lists and pseudonyms ("Participant 3") follow it.
  position integer NOT NULL DEFAULT 0,
  invited_at timestamptz NOT NULL DEFAULT now(),
  rated_items integer NOT NULL DEFAULT 0,
  submitted_at timestamptz,
  CHECK ((person_id IS NULL) <> (external_name IS NULL)),
  UNIQUE (session_id, person_id),
  UNIQUE (session_id, external_name)
);
CREATE INDEX calibration_participants_person_idx ON calibration_participants (person_id);

CREATE TABLE calibration_ratings (
  item_id uuid NOT NULL REFERENCES calibration_items (id),
  participant_id uuid NOT NULL REFERENCES calibration_participants (id),
  session_id uuid NOT NULL REFERENCES calibration_sessions (id),
  -- The label set as one nominal category: sorted keys joined by '+', 'none' for no violation (or the imported value).
  label_category text NOT NULL,
  labels text[] NOT NULL DEFAULT '{}',
  action text,
  answers jsonb NOT NULL DEFAULT '[]',
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (item_id, participant_id)
);
CREATE INDEX calibration_ratings_session_idx ON calibration_ratings (session_id);

CREATE TABLE calibration_notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id uuid NOT NULL REFERENCES calibration_sessions (id),
  item_id uuid NOT NULL REFERENCES calibration_items (id),
  author_user_id uuid,
  author_label text NOT NULL,
  body text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 4000),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calibration_notes_item_idx ON calibration_notes (item_id, created_at);

-- Owner-run (no RLS inside), so the sessions policy can ask about participants without recursion.
CREATE FUNCTION assay_calibration_invited(session uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public AS $f$
  SELECT EXISTS (SELECT 1 FROM calibration_participants p WHERE p.session_id = session AND p.person_id = assay_actor_person())
$f$;
CREATE FUNCTION assay_calibration_closed(session uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public AS $f$
  SELECT EXISTS (SELECT 1 FROM calibration_sessions s WHERE s.id = session AND s.status = 'closed')
$f$;
CREATE FUNCTION assay_calibration_own_participant(participant uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public AS $f$
  SELECT EXISTS (SELECT 1 FROM calibration_participants p WHERE p.id = participant AND p.person_id = assay_actor_person())
$f$;
CREATE FUNCTION assay_calibration_external_participant(participant uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public AS $f$
  SELECT EXISTS (SELECT 1 FROM calibration_participants p WHERE p.id = participant AND p.person_id IS NULL)
$f$;
-- Which of these people have an active user (and its role): users are visible only to scope all,
-- but a lead picking participants among the people they see needs to know who can sign in.
CREATE FUNCTION assay_calibration_user_roles(person_ids uuid[]) RETURNS TABLE (person_id uuid, user_id uuid, role text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $f$
  SELECT u.person_id, u.id, u.role FROM users u WHERE u.person_id = ANY(person_ids) AND u.status = 'active'
$f$;
REVOKE ALL ON FUNCTION assay_calibration_user_roles(uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION assay_calibration_user_roles(uuid[]) TO assay_app;

ALTER TABLE calibration_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE calibration_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE calibration_participants ENABLE ROW LEVEL SECURITY;
ALTER TABLE calibration_ratings ENABLE ROW LEVEL SECURITY;
ALTER TABLE calibration_notes ENABLE ROW LEVEL SECURITY;

CREATE POLICY calibration_sessions_read ON calibration_sessions FOR SELECT TO assay_app
  USING (assay_scope_kind() = 'all' OR vendor_id = assay_scope_id('vendor') OR assay_calibration_invited(id));
-- Writing a session (create, close) is for scope all, or a vendor's people on their vendor's sessions.
CREATE POLICY calibration_sessions_write ON calibration_sessions FOR INSERT TO assay_app
  WITH CHECK (assay_scope_kind() = 'all' OR vendor_id = assay_scope_id('vendor'));
CREATE POLICY calibration_sessions_update ON calibration_sessions FOR UPDATE TO assay_app
  USING (assay_scope_kind() = 'all' OR vendor_id = assay_scope_id('vendor'));

CREATE POLICY calibration_items_scope ON calibration_items TO assay_app
  USING (EXISTS (SELECT 1 FROM calibration_sessions s WHERE s.id = session_id));
CREATE POLICY calibration_participants_scope ON calibration_participants TO assay_app
  USING (EXISTS (SELECT 1 FROM calibration_sessions s WHERE s.id = session_id));
CREATE POLICY calibration_notes_scope ON calibration_notes TO assay_app
  USING (EXISTS (SELECT 1 FROM calibration_sessions s WHERE s.id = session_id));
-- Blind until close: one's own ratings only; everyone's once the session is closed.
CREATE POLICY calibration_ratings_read ON calibration_ratings FOR SELECT TO assay_app
  USING (EXISTS (SELECT 1 FROM calibration_sessions s WHERE s.id = session_id)
         AND (assay_calibration_own_participant(participant_id) OR assay_calibration_closed(session_id)));
-- A participant writes their own ratings while the session is open; an import writes its external raters'.
CREATE POLICY calibration_ratings_insert ON calibration_ratings FOR INSERT TO assay_app
  WITH CHECK (EXISTS (SELECT 1 FROM calibration_sessions s WHERE s.id = session_id)
              AND ((assay_calibration_own_participant(participant_id) AND NOT assay_calibration_closed(session_id))
                   OR assay_calibration_external_participant(participant_id)));
CREATE POLICY calibration_ratings_update ON calibration_ratings FOR UPDATE TO assay_app
  USING (assay_calibration_own_participant(participant_id) AND NOT assay_calibration_closed(session_id));

GRANT SELECT, INSERT, UPDATE ON calibration_sessions, calibration_items, calibration_participants, calibration_ratings TO assay_app;
GRANT DELETE ON calibration_items, calibration_participants TO assay_app;
GRANT SELECT, INSERT ON calibration_notes TO assay_app;
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
DROP TABLE calibration_notes, calibration_ratings, calibration_participants, calibration_items, calibration_sessions;
DROP FUNCTION assay_calibration_invited(uuid), assay_calibration_closed(uuid), assay_calibration_own_participant(uuid),
  assay_calibration_external_participant(uuid), assay_calibration_user_roles(uuid[]);
`,
    )
    .execute(db);
}
