import { sql, type Kysely } from 'kysely';

/**
 * Training operations (issue 7, items 3, 5-8): coaching, trainers, reaction
 * surveys and sent reminders; cohort schedules, attendance, nesting targets
 * and graduations (on the training core of migration 0012).
 *
 * Scope: every row about a person carries that person's vendor, site and team
 * (copied when written, like reviews) and is filtered by assay_row_visible at
 * the person level, so a vendor's people never see another vendor's coaching,
 * attendance or observations, and an agent with scope 'self' sees their own.
 * Survey responses are anonymous: they keep no person, no invitation and no
 * time of day, only the site they came from, and are visible at site level.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- Coaching: one-to-one sessions about a person (the coachee), linked to reviews and errors.
CREATE TABLE coaching_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES people (id),
  coach_id uuid NOT NULL REFERENCES people (id),
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  workflow_id uuid REFERENCES workflows (id),
  held_on date NOT NULL,
  topic text NOT NULL CHECK (length(btrim(topic)) BETWEEN 1 AND 200),
  notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 20000),
  error_types text[] NOT NULL DEFAULT '{}',
  root_causes text[] NOT NULL DEFAULT '{}',
  acknowledged_at timestamptz,
  created_by_user_id uuid,
  created_by_label text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (person_id <> coach_id)
);
CREATE INDEX coaching_sessions_person_idx ON coaching_sessions (person_id, held_on DESC);
CREATE INDEX coaching_sessions_coach_idx ON coaching_sessions (coach_id, held_on DESC);
CREATE INDEX coaching_sessions_vendor_idx ON coaching_sessions (vendor_id, held_on DESC);

CREATE TABLE coaching_session_reviews (
  session_id uuid NOT NULL REFERENCES coaching_sessions (id) ON DELETE CASCADE,
  review_id uuid NOT NULL REFERENCES reviews (id),
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  person_id uuid NOT NULL,
  PRIMARY KEY (session_id, review_id)
);
CREATE INDEX coaching_session_reviews_review_idx ON coaching_session_reviews (review_id);

CREATE TABLE coaching_actions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id uuid NOT NULL REFERENCES coaching_sessions (id) ON DELETE CASCADE,
  description text NOT NULL CHECK (length(btrim(description)) BETWEEN 1 AND 1000),
  owner_id uuid NOT NULL REFERENCES people (id),
  follow_up_on date NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'not_done', 'cancelled')),
  follow_up_note text NOT NULL DEFAULT '' CHECK (length(follow_up_note) <= 4000),
  followed_up_at timestamptz,
  followed_up_by_label text,
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  person_id uuid NOT NULL,
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX coaching_actions_session_idx ON coaching_actions (session_id, position);
CREATE INDEX coaching_actions_due_idx ON coaching_actions (follow_up_on) WHERE status = 'open';

-- Trainers: a profile per trainer (a person), train-the-trainer certifications, observed sessions.
CREATE TABLE trainer_profiles (
  person_id uuid PRIMARY KEY REFERENCES people (id),
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  workflow_ids uuid[] NOT NULL DEFAULT '{}',
  specialities text[] NOT NULL DEFAULT '{}',
  languages text[] NOT NULL DEFAULT '{}',
  bio text NOT NULL DEFAULT '' CHECK (length(bio) <= 4000),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE trainer_certifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trainer_id uuid NOT NULL REFERENCES people (id),
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  kind text NOT NULL CHECK (kind IN ('delivery', 'coaching', 'assessment', 'nesting')),
  workflow_id uuid REFERENCES workflows (id),
  awarded_on date NOT NULL,
  expires_on date,
  notes text NOT NULL DEFAULT '',
  awarded_by_label text NOT NULL,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (expires_on IS NULL OR expires_on > awarded_on)
);
CREATE INDEX trainer_certifications_trainer_idx ON trainer_certifications (trainer_id, awarded_on DESC);

CREATE TABLE trainer_observations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trainer_id uuid NOT NULL REFERENCES people (id),
  observer_id uuid NOT NULL REFERENCES people (id),
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  cohort_session_id uuid,
  observed_on date NOT NULL,
  scores jsonb NOT NULL,
  overall numeric(4, 2) NOT NULL CHECK (overall BETWEEN 1 AND 5),
  strengths text NOT NULL DEFAULT '',
  improvements text NOT NULL DEFAULT '',
  notes text NOT NULL DEFAULT '',
  created_by_label text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (trainer_id <> observer_id)
);
CREATE INDEX trainer_observations_trainer_idx ON trainer_observations (trainer_id, observed_on DESC);

-- Reaction surveys (Kirkpatrick level 1). Definitions are shared reference data.
CREATE TABLE survey_definitions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '',
  items jsonb NOT NULL,
  min_group_size integer NOT NULL DEFAULT 5 CHECK (min_group_size BETWEEN 3 AND 100),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Who was asked, and whether they answered; never what they answered.
CREATE TABLE survey_invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  survey_id uuid NOT NULL REFERENCES survey_definitions (id),
  person_id uuid NOT NULL REFERENCES people (id),
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  context_key text NOT NULL,
  context_label text NOT NULL,
  course_id uuid,
  cohort_id uuid,
  cohort_session_id uuid,
  trainer_id uuid REFERENCES people (id),
  sent_at timestamptz NOT NULL DEFAULT now(),
  responded_on date,
  UNIQUE (survey_id, person_id, context_key)
);
CREATE INDEX survey_invitations_person_idx ON survey_invitations (person_id, sent_at DESC);

-- Anonymous answers: no person, no invitation, no time of day.
CREATE TABLE survey_responses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  survey_id uuid NOT NULL REFERENCES survey_definitions (id),
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  course_id uuid,
  cohort_id uuid,
  cohort_session_id uuid,
  trainer_id uuid REFERENCES people (id),
  ratings jsonb NOT NULL,
  comments jsonb NOT NULL DEFAULT '{}',
  submitted_on date NOT NULL
);
CREATE INDEX survey_responses_survey_idx ON survey_responses (survey_id, submitted_on);

-- One reminder per enrolment, kind and UTC day: the claim is the primary key.
CREATE TABLE training_reminders (
  enrolment_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
  sent_on date NOT NULL,
  person_id uuid NOT NULL REFERENCES people (id),
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  recipient text NOT NULL,
  subject text NOT NULL,
  status text NOT NULL DEFAULT 'sending' CHECK (status IN ('sending', 'sent')),
  claimed_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  PRIMARY KEY (enrolment_id, kind, sent_on)
);
CREATE INDEX training_reminders_person_idx ON training_reminders (person_id, sent_on DESC);

-- Cohorts (migration 0012) run by trainers, on a schedule of sessions with attendance.
CREATE TABLE cohort_trainers (
  cohort_id uuid NOT NULL REFERENCES cohorts (id),
  person_id uuid NOT NULL REFERENCES people (id),
  role text NOT NULL DEFAULT 'lead' CHECK (role IN ('lead', 'co')),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (cohort_id, person_id)
);
CREATE INDEX cohort_trainers_person_idx ON cohort_trainers (person_id);

CREATE TABLE cohort_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  cohort_id uuid NOT NULL REFERENCES cohorts (id),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  topic text NOT NULL CHECK (length(btrim(topic)) BETWEEN 1 AND 200),
  location text NOT NULL DEFAULT '',
  trainer_id uuid REFERENCES people (id),
  course_id uuid REFERENCES courses (id),
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'completed', 'cancelled')),
  completed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at),
  CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);
CREATE INDEX cohort_sessions_cohort_idx ON cohort_sessions (cohort_id, starts_at);

CREATE TABLE cohort_attendance (
  session_id uuid NOT NULL REFERENCES cohort_sessions (id),
  person_id uuid NOT NULL REFERENCES people (id),
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  status text NOT NULL CHECK (status IN ('present', 'late', 'absent', 'excused')),
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
  recorded_by_label text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, person_id)
);
CREATE INDEX cohort_attendance_person_idx ON cohort_attendance (person_id);

-- The nesting phase of a cohort: supervised production with its own QA targets.
CREATE TABLE cohort_nesting (
  cohort_id uuid PRIMARY KEY REFERENCES cohorts (id),
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  min_reviews integer NOT NULL CHECK (min_reviews BETWEEN 1 AND 10000),
  accuracy_target numeric(5, 4) NOT NULL CHECK (accuracy_target > 0 AND accuracy_target <= 1),
  critical_error_max numeric(5, 4) NOT NULL CHECK (critical_error_max >= 0 AND critical_error_max < 1),
  evidence text NOT NULL DEFAULT 'estimate' CHECK (evidence IN ('estimate', 'interval')),
  updated_by_label text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on >= starts_on)
);

-- Graduation decisions, kept as history (an extension, then a graduation).
CREATE TABLE cohort_graduations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  cohort_id uuid NOT NULL REFERENCES cohorts (id),
  person_id uuid NOT NULL REFERENCES people (id),
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  outcome text NOT NULL CHECK (outcome IN ('graduated', 'extended', 'exited')),
  decided_on date NOT NULL,
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 4000),
  evidence jsonb NOT NULL,
  decided_by_label text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cohort_graduations_cohort_idx ON cohort_graduations (cohort_id, person_id, created_at DESC);

ALTER TABLE training_reminders ADD FOREIGN KEY (enrolment_id) REFERENCES enrolments (id);
ALTER TABLE trainer_observations ADD FOREIGN KEY (cohort_session_id) REFERENCES cohort_sessions (id);
ALTER TABLE survey_invitations ADD FOREIGN KEY (course_id) REFERENCES courses (id);
ALTER TABLE survey_invitations ADD FOREIGN KEY (cohort_id) REFERENCES cohorts (id);
ALTER TABLE survey_invitations ADD FOREIGN KEY (cohort_session_id) REFERENCES cohort_sessions (id);
ALTER TABLE survey_responses ADD FOREIGN KEY (course_id) REFERENCES courses (id);
ALTER TABLE survey_responses ADD FOREIGN KEY (cohort_id) REFERENCES cohorts (id);

ALTER TABLE cohort_trainers ENABLE ROW LEVEL SECURITY;
ALTER TABLE cohort_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE cohort_attendance ENABLE ROW LEVEL SECURITY;
ALTER TABLE cohort_nesting ENABLE ROW LEVEL SECURITY;
ALTER TABLE cohort_graduations ENABLE ROW LEVEL SECURITY;
-- A cohort's trainers, schedule and targets are visible where the cohort is (its members see their own cohort).
CREATE POLICY cohort_trainers_scope ON cohort_trainers TO assay_app
  USING (EXISTS (SELECT 1 FROM cohorts c WHERE c.id = cohort_id));
CREATE POLICY cohort_sessions_scope ON cohort_sessions TO assay_app
  USING (EXISTS (SELECT 1 FROM cohorts c WHERE c.id = cohort_id));
CREATE POLICY cohort_nesting_scope ON cohort_nesting TO assay_app
  USING (EXISTS (SELECT 1 FROM cohorts c WHERE c.id = cohort_id));
CREATE POLICY cohort_attendance_scope ON cohort_attendance TO assay_app
  USING (assay_row_visible('person', vendor_id, site_id, team_id, person_id));
CREATE POLICY cohort_graduations_scope ON cohort_graduations TO assay_app
  USING (assay_row_visible('person', vendor_id, site_id, team_id, person_id));
GRANT SELECT, INSERT, UPDATE ON cohort_sessions, cohort_attendance, cohort_nesting TO assay_app;
GRANT SELECT, INSERT, DELETE ON cohort_trainers TO assay_app;
GRANT SELECT, INSERT ON cohort_graduations TO assay_app;

-- The standard level-1 survey (kept in step with STANDARD_SURVEY_ITEMS in surveys.rules.ts).
INSERT INTO survey_definitions (id, name, description, items, min_group_size)
VALUES ('7a1e5e00-0000-4000-8000-000000000001', 'Training reaction (standard)',
  'Sent after a cohort session or course is completed. Answers are anonymous; results show only for groups of 5 or more.',
  '[{"key": "objectives_clear", "text": "The objectives of the training were clear.", "kind": "likert"}, {"key": "relevant", "text": "The content is relevant to the work I do.", "kind": "likert"}, {"key": "trainer_knowledge", "text": "The trainer knew the policies well and explained them clearly.", "kind": "likert"}, {"key": "examples", "text": "The examples and practice cases helped me apply the policy.", "kind": "likert"}, {"key": "confident", "text": "I feel confident applying what I learned.", "kind": "likert"}, {"key": "pace", "text": "The pace and length of the training were right.", "kind": "likert"}, {"key": "best", "text": "What worked best?", "kind": "text"}, {"key": "improve", "text": "What should we improve?", "kind": "text"}]'::jsonb, 5);

CREATE TRIGGER coaching_sessions_touch BEFORE UPDATE ON coaching_sessions FOR EACH ROW EXECUTE FUNCTION assay_touch_updated_at();
CREATE TRIGGER trainer_profiles_touch BEFORE UPDATE ON trainer_profiles FOR EACH ROW EXECUTE FUNCTION assay_touch_updated_at();

ALTER TABLE coaching_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE coaching_session_reviews ENABLE ROW LEVEL SECURITY;
ALTER TABLE coaching_actions ENABLE ROW LEVEL SECURITY;
ALTER TABLE trainer_profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE trainer_certifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE trainer_observations ENABLE ROW LEVEL SECURITY;
ALTER TABLE survey_invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE survey_responses ENABLE ROW LEVEL SECURITY;
ALTER TABLE training_reminders ENABLE ROW LEVEL SECURITY;

CREATE POLICY coaching_sessions_scope ON coaching_sessions TO assay_app
  USING (assay_row_visible('person', vendor_id, site_id, team_id, person_id));
CREATE POLICY coaching_session_reviews_scope ON coaching_session_reviews TO assay_app
  USING (assay_row_visible('person', vendor_id, site_id, team_id, person_id));
CREATE POLICY coaching_actions_scope ON coaching_actions TO assay_app
  USING (assay_row_visible('person', vendor_id, site_id, team_id, person_id));
CREATE POLICY trainer_profiles_scope ON trainer_profiles TO assay_app
  USING (assay_row_visible('person', vendor_id, site_id, team_id, person_id));
CREATE POLICY trainer_certifications_scope ON trainer_certifications TO assay_app
  USING (assay_row_visible('person', vendor_id, site_id, team_id, trainer_id));
CREATE POLICY trainer_observations_scope ON trainer_observations TO assay_app
  USING (assay_row_visible('person', vendor_id, site_id, team_id, trainer_id));
CREATE POLICY survey_invitations_scope ON survey_invitations TO assay_app
  USING (assay_row_visible('person', vendor_id, site_id, team_id, person_id));
-- Responses are anonymous and site-level; anyone may add one (the invitation is the check).
CREATE POLICY survey_responses_read ON survey_responses FOR SELECT TO assay_app
  USING (assay_row_visible('site', vendor_id, site_id, NULL, NULL));
CREATE POLICY survey_responses_append ON survey_responses FOR INSERT TO assay_app WITH CHECK (true);
CREATE POLICY training_reminders_scope ON training_reminders TO assay_app
  USING (assay_row_visible('person', vendor_id, site_id, team_id, person_id));

GRANT SELECT, INSERT, UPDATE ON coaching_sessions, coaching_actions, trainer_profiles, trainer_certifications,
  survey_definitions, survey_invitations TO assay_app;
GRANT DELETE ON coaching_actions, coaching_session_reviews TO assay_app;
GRANT SELECT, INSERT ON coaching_session_reviews, trainer_observations, survey_responses, training_reminders TO assay_app;
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
DROP TABLE IF EXISTS cohort_graduations, cohort_nesting, cohort_attendance, cohort_trainers, training_reminders, survey_responses, survey_invitations, survey_definitions,
  trainer_observations, trainer_certifications, trainer_profiles,
  coaching_actions, coaching_session_reviews, coaching_sessions, cohort_sessions;
`,
    )
    .execute(db);
}
