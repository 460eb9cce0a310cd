import { sql, type Kysely } from 'kysely';

/**
 * Training (issue 7): programs and their phases, courses with immutable
 * published versions, modules (Markdown, attachments, policy excerpts),
 * assessments with their item bank and attempts, cohorts, enrolments (with
 * per-module progress), enrolment rules, certifications and their awards.
 * See docs/decisions/0012-training.md.
 *
 * Scope (row-level security, docs/decisions/0001):
 * - Content (programs, courses, versions, modules, assessments, items,
 *   certification definitions, rules) belongs either to everyone
 *   (vendor_id NULL: the platform's own training) or to one vendor; it is
 *   visible where that vendor is visible. Child rows follow their parent.
 * - A person's training rows (enrolments, progress, attempts, answers,
 *   awards, cohort memberships) are visible exactly where the person is
 *   (RLS applies inside the subquery on people), so an agent with scope
 *   'self' sees only their own.
 * - Cohorts belong to a vendor's site; a 'self' viewer sees only cohorts
 *   they are a member of.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
CREATE FUNCTION assay_training_content_visible(owner_vendor uuid) RETURNS boolean LANGUAGE sql STABLE AS $f$
  SELECT owner_vendor IS NULL OR assay_row_visible('vendor', owner_vendor, NULL, NULL, NULL)
$f$;

CREATE TABLE training_programs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  vendor_id uuid REFERENCES vendors (id),
  workflow_id uuid NOT NULL REFERENCES workflows (id),
  kind text NOT NULL CHECK (kind IN ('new_hire', 'continuous')),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  description text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX training_programs_workflow_idx ON training_programs (workflow_id);

CREATE TABLE training_program_phases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  program_id uuid NOT NULL REFERENCES training_programs (id) ON DELETE CASCADE,
  position integer NOT NULL CHECK (position >= 0),
  kind text NOT NULL CHECK (kind IN ('classroom', 'nesting', 'production')),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  duration_days integer NOT NULL CHECK (duration_days BETWEEN 1 AND 365),
  description text NOT NULL DEFAULT '',
  UNIQUE (program_id, position)
);

CREATE TABLE courses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  vendor_id uuid REFERENCES vendors (id),
  workflow_id uuid NOT NULL REFERENCES workflows (id),
  program_id uuid REFERENCES training_programs (id),
  program_phase_id uuid REFERENCES training_program_phases (id),
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX courses_workflow_idx ON courses (workflow_id);

-- A draft is editable; publishing freezes it (its modules, assessment and
-- items too: see assay_training_version_is_draft). Enrolments keep the
-- version they were given.
CREATE TABLE course_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  course_id uuid NOT NULL REFERENCES courses (id),
  version integer NOT NULL CHECK (version >= 1),
  status text NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  summary text NOT NULL DEFAULT '',
  policy_ids uuid[] NOT NULL DEFAULT '{}',
  policy_version_ids uuid[] NOT NULL DEFAULT '{}',
  policy_label_keys text[] NOT NULL DEFAULT '{}',
  estimated_minutes integer CHECK (estimated_minutes BETWEEN 1 AND 10000),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  published_at timestamptz,
  published_by uuid,
  UNIQUE (course_id, version),
  CHECK ((status = 'draft') = (published_at IS NULL))
);
CREATE UNIQUE INDEX course_versions_one_draft ON course_versions (course_id) WHERE status = 'draft';
CREATE UNIQUE INDEX course_versions_one_published ON course_versions (course_id) WHERE status = 'published';

CREATE TABLE course_modules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  course_version_id uuid NOT NULL REFERENCES course_versions (id),
  position integer NOT NULL CHECK (position >= 0),
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  body_md text NOT NULL DEFAULT '' CHECK (length(body_md) <= 200000),
  required boolean NOT NULL DEFAULT true,
  -- [{policyVersionId, policyKey, policyName, version, quote}]: text quoted from the policy version.
  policy_excerpts jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX course_modules_version_idx ON course_modules (course_version_id, position);

CREATE TABLE course_module_attachments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  module_id uuid NOT NULL REFERENCES course_modules (id) ON DELETE CASCADE,
  file_name text NOT NULL CHECK (length(btrim(file_name)) BETWEEN 1 AND 200),
  content_type text NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 5242880),
  sha256 text NOT NULL,
  content bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid
);
CREATE INDEX course_module_attachments_module_idx ON course_module_attachments (module_id);

CREATE TABLE assessments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  course_version_id uuid NOT NULL UNIQUE REFERENCES course_versions (id),
  -- Proportion of points needed to pass.
  pass_mark numeric(5,4) NOT NULL DEFAULT 0.8 CHECK (pass_mark > 0 AND pass_mark <= 1),
  time_limit_minutes integer CHECK (time_limit_minutes BETWEEN 1 AND 600),
  attempts_allowed integer CHECK (attempts_allowed BETWEEN 1 AND 20),
  -- Items drawn per attempt (NULL: every active item).
  form_size integer CHECK (form_size BETWEEN 1 AND 500),
  randomise_items boolean NOT NULL DEFAULT true,
  randomise_options boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE assessment_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  assessment_id uuid NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
  position integer NOT NULL CHECK (position >= 0),
  kind text NOT NULL CHECK (kind IN ('single', 'multiple', 'true_false', 'case')),
  stem text NOT NULL CHECK (length(btrim(stem)) BETWEEN 1 AND 20000),
  -- [{id, text}]
  options jsonb NOT NULL,
  -- The answer key: never sent to a learner before they submit.
  correct_option_ids text[] NOT NULL CHECK (cardinality(correct_option_ids) >= 1),
  explanation text NOT NULL DEFAULT '',
  points numeric(6,2) NOT NULL DEFAULT 1 CHECK (points > 0),
  -- Case items: the decided item they were built from, and a snapshot of
  -- what the learner is shown (content, workflow, severity) taken when the
  -- item was written, so the item does not change with later data.
  decision_id uuid,
  case_snapshot jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'case') = (decision_id IS NOT NULL))
);
CREATE INDEX assessment_items_assessment_idx ON assessment_items (assessment_id, position);

CREATE TABLE cohorts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  workflow_id uuid NOT NULL REFERENCES workflows (id),
  program_id uuid REFERENCES training_programs (id),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  start_date date NOT NULL,
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'active', 'completed', 'cancelled')),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (site_id, vendor_id) REFERENCES sites (id, vendor_id)
);
CREATE UNIQUE INDEX cohorts_site_name_key ON cohorts (site_id, lower(name));
CREATE INDEX cohorts_vendor_idx ON cohorts (vendor_id, start_date);

CREATE TABLE cohort_members (
  cohort_id uuid NOT NULL REFERENCES cohorts (id),
  person_id uuid NOT NULL REFERENCES people (id),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn', 'graduated')),
  joined_at timestamptz NOT NULL DEFAULT now(),
  left_at timestamptz,
  PRIMARY KEY (cohort_id, person_id)
);
CREATE INDEX cohort_members_person_idx ON cohort_members (person_id);

CREATE TABLE enrolment_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- NULL vendor: every vendor's people; a site narrows it further.
  vendor_id uuid REFERENCES vendors (id),
  site_id uuid REFERENCES sites (id),
  workflow_id uuid NOT NULL REFERENCES workflows (id),
  course_id uuid NOT NULL REFERENCES courses (id),
  kind text NOT NULL DEFAULT 'new_hire' CHECK (kind IN ('new_hire')),
  -- People hired on or after this day match (earlier hires are not "new").
  hired_on_or_after date NOT NULL,
  due_days integer NOT NULL DEFAULT 14 CHECK (due_days BETWEEN 1 AND 365),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid
);

CREATE TABLE enrolments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES people (id),
  -- The person's vendor and site when enrolled, for reporting by vendor/site.
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  course_id uuid NOT NULL REFERENCES courses (id),
  course_version_id uuid NOT NULL REFERENCES course_versions (id),
  source text NOT NULL CHECK (source IN ('person', 'team', 'cohort', 'rule')),
  source_ref_id uuid,
  cohort_id uuid REFERENCES cohorts (id),
  due_at timestamptz,
  status text NOT NULL DEFAULT 'assigned' CHECK (status IN ('assigned', 'in_progress', 'completed', 'withdrawn')),
  started_at timestamptz,
  completed_at timestamptz,
  score numeric(5,4),
  assigned_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);
-- One open enrolment per person and course: assigning again is a no-op (idempotent rules).
CREATE UNIQUE INDEX enrolments_one_open ON enrolments (person_id, course_id) WHERE status IN ('assigned', 'in_progress');
CREATE INDEX enrolments_person_idx ON enrolments (person_id, created_at DESC);
CREATE INDEX enrolments_due_idx ON enrolments (due_at) WHERE status IN ('assigned', 'in_progress');
CREATE INDEX enrolments_vendor_idx ON enrolments (vendor_id, site_id, course_id);
CREATE INDEX enrolments_cohort_idx ON enrolments (cohort_id) WHERE cohort_id IS NOT NULL;

CREATE TABLE enrolment_module_progress (
  enrolment_id uuid NOT NULL REFERENCES enrolments (id),
  module_id uuid NOT NULL REFERENCES course_modules (id),
  person_id uuid NOT NULL,
  first_viewed_at timestamptz NOT NULL DEFAULT now(),
  last_viewed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (enrolment_id, module_id)
);

CREATE TABLE assessment_attempts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  assessment_id uuid NOT NULL REFERENCES assessments (id),
  enrolment_id uuid NOT NULL REFERENCES enrolments (id),
  person_id uuid NOT NULL REFERENCES people (id),
  attempt_number integer NOT NULL CHECK (attempt_number >= 1),
  -- The form: the seed it was drawn with, the items in order and each item's option order.
  seed text NOT NULL,
  item_ids uuid[] NOT NULL,
  option_orders jsonb NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  -- Server-enforced time limit: a submission after deadline_at is refused.
  deadline_at timestamptz,
  submitted_at timestamptz,
  status text NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'submitted', 'expired')),
  score numeric(5,4),
  points_earned numeric(8,2),
  points_possible numeric(8,2),
  passed boolean,
  UNIQUE (enrolment_id, attempt_number),
  CHECK ((status = 'submitted') = (submitted_at IS NOT NULL))
);
CREATE UNIQUE INDEX assessment_attempts_one_open ON assessment_attempts (enrolment_id) WHERE status = 'in_progress';
CREATE INDEX assessment_attempts_person_idx ON assessment_attempts (person_id);
CREATE INDEX assessment_attempts_assessment_idx ON assessment_attempts (assessment_id) WHERE status = 'submitted';

CREATE TABLE assessment_attempt_answers (
  attempt_id uuid NOT NULL REFERENCES assessment_attempts (id),
  item_id uuid NOT NULL REFERENCES assessment_items (id),
  person_id uuid NOT NULL,
  selected_option_ids text[] NOT NULL DEFAULT '{}',
  correct boolean NOT NULL,
  points numeric(6,2) NOT NULL,
  PRIMARY KEY (attempt_id, item_id)
);
CREATE INDEX assessment_attempt_answers_item_idx ON assessment_attempt_answers (item_id);

CREATE TABLE certifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  vendor_id uuid REFERENCES vendors (id),
  workflow_id uuid NOT NULL REFERENCES workflows (id),
  policy_id uuid REFERENCES policies (id),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  description text NOT NULL DEFAULT '',
  validity_days integer NOT NULL CHECK (validity_days BETWEEN 1 AND 3660),
  -- Awarded on completing (and passing the assessment of) this course.
  required_course_id uuid NOT NULL REFERENCES courses (id),
  -- When true, the upstream tool should keep uncertified people off the workflow.
  holds_off_workflow boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX certifications_workflow_idx ON certifications (workflow_id) WHERE status = 'active';
CREATE INDEX certifications_course_idx ON certifications (required_course_id);

CREATE TABLE certification_awards (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  certification_id uuid NOT NULL REFERENCES certifications (id),
  person_id uuid NOT NULL REFERENCES people (id),
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  source text NOT NULL CHECK (source IN ('assessment', 'manual')),
  source_attempt_id uuid REFERENCES assessment_attempts (id),
  source_enrolment_id uuid REFERENCES enrolments (id),
  awarded_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  awarded_by uuid,
  revoked_at timestamptz,
  revoked_by uuid,
  revoke_reason text,
  CHECK (expires_at > awarded_at)
);
CREATE INDEX certification_awards_person_idx ON certification_awards (person_id, certification_id, expires_at DESC);
CREATE INDEX certification_awards_cert_idx ON certification_awards (certification_id, expires_at);

-- The certification check finds people by the upstream tool's agent reference across vendors
-- (the existing unique indexes lead with vendor_id).
CREATE INDEX people_employee_ref_idx ON people (employee_ref) WHERE employee_ref IS NOT NULL;
CREATE INDEX people_lower_email_idx ON people (lower(email)) WHERE email IS NOT NULL;

-- A published course version, its modules, assessment and items never change.
CREATE FUNCTION assay_course_version_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF OLD.status <> 'draft' AND (NEW.title IS DISTINCT FROM OLD.title OR NEW.summary IS DISTINCT FROM OLD.summary
      OR NEW.policy_ids IS DISTINCT FROM OLD.policy_ids OR NEW.policy_version_ids IS DISTINCT FROM OLD.policy_version_ids
      OR NEW.policy_label_keys IS DISTINCT FROM OLD.policy_label_keys OR NEW.published_at IS DISTINCT FROM OLD.published_at) THEN
    RAISE EXCEPTION 'a published course version cannot change; create a new version' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$f$;
CREATE TRIGGER course_versions_fixed BEFORE UPDATE ON course_versions
  FOR EACH ROW EXECUTE FUNCTION assay_course_version_is_fixed();

CREATE FUNCTION assay_training_version_status(version_id uuid) RETURNS text LANGUAGE sql STABLE AS $f$
  SELECT status FROM course_versions WHERE id = version_id
$f$;
CREATE FUNCTION assay_course_content_is_draft() RETURNS trigger LANGUAGE plpgsql AS $f$
DECLARE
  row_data record;
  version_id uuid;
BEGIN
  row_data := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  IF TG_TABLE_NAME = 'course_modules' OR TG_TABLE_NAME = 'assessments' THEN
    version_id := row_data.course_version_id;
  ELSIF TG_TABLE_NAME = 'assessment_items' THEN
    SELECT a.course_version_id INTO version_id FROM assessments a WHERE a.id = row_data.assessment_id;
  ELSE
    SELECT m.course_version_id INTO version_id FROM course_modules m WHERE m.id = row_data.module_id;
  END IF;
  IF version_id IS NOT NULL AND assay_training_version_status(version_id) <> 'draft' THEN
    RAISE EXCEPTION 'a published course version cannot change; create a new version' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN row_data;
END
$f$;
CREATE TRIGGER course_modules_draft BEFORE INSERT OR UPDATE OR DELETE ON course_modules
  FOR EACH ROW EXECUTE FUNCTION assay_course_content_is_draft();
CREATE TRIGGER course_module_attachments_draft BEFORE INSERT OR UPDATE OR DELETE ON course_module_attachments
  FOR EACH ROW EXECUTE FUNCTION assay_course_content_is_draft();
CREATE TRIGGER assessments_draft BEFORE INSERT OR UPDATE OR DELETE ON assessments
  FOR EACH ROW EXECUTE FUNCTION assay_course_content_is_draft();
CREATE TRIGGER assessment_items_draft BEFORE INSERT OR UPDATE OR DELETE ON assessment_items
  FOR EACH ROW EXECUTE FUNCTION assay_course_content_is_draft();

-- New-hire rules apply the moment a person gains a workflow skill (how a new hire joins a
-- workflow), whoever adds it: the same matching as applyEnrolmentRules in
-- src/domain/training/enrolment.service.ts, idempotent (a person ever enrolled on the course is
-- skipped, one open enrolment per person and course), audited as the system. SECURITY DEFINER: the
-- person adding the skill need not see the rule.
CREATE FUNCTION assay_apply_new_hire_rules() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
DECLARE
  created integer;
  rule record;
BEGIN
  FOR rule IN
    SELECT r.id, r.vendor_id, r.course_id, r.due_days, v.id AS version_id, p.id AS person_id, p.vendor_id AS person_vendor,
      p.site_id AS person_site, p.hire_date
    FROM enrolment_rules r
    JOIN people p ON p.id = NEW.person_id
    JOIN courses c ON c.id = r.course_id AND c.status = 'active'
    JOIN course_versions v ON v.course_id = c.id AND v.status = 'published'
    WHERE r.status = 'active' AND r.workflow_id = NEW.workflow_id AND p.status = 'active'
      AND p.hire_date >= r.hired_on_or_after
      AND (r.vendor_id IS NULL OR r.vendor_id = p.vendor_id) AND (r.site_id IS NULL OR r.site_id = p.site_id)
      AND (c.vendor_id IS NULL OR c.vendor_id = p.vendor_id)
      AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = p.id AND e.course_id = r.course_id)
  LOOP
    INSERT INTO enrolments (person_id, vendor_id, site_id, course_id, course_version_id, source, source_ref_id, due_at)
    VALUES (rule.person_id, rule.person_vendor, rule.person_site, rule.course_id, rule.version_id, 'rule', rule.id,
      greatest(now(), rule.hire_date::timestamptz) + make_interval(days => rule.due_days))
    ON CONFLICT (person_id, course_id) WHERE status IN ('assigned', 'in_progress') DO NOTHING;
    GET DIAGNOSTICS created = ROW_COUNT;
    IF created > 0 THEN
      INSERT INTO audit_log (actor_label, action, entity_type, entity_id, vendor_id, details)
      VALUES ('system', 'training.enrolment_rule.apply', 'enrolment_rule', rule.id::text, rule.person_vendor,
        jsonb_build_object('enrolled', created, 'personId', rule.person_id, 'trigger', 'person_workflow_skills'));
    END IF;
  END LOOP;
  RETURN NULL;
END
$f$;
CREATE TRIGGER person_workflow_skills_new_hire_rules AFTER INSERT ON person_workflow_skills
  FOR EACH ROW EXECUTE FUNCTION assay_apply_new_hire_rules();

CREATE TRIGGER training_programs_touch BEFORE UPDATE ON training_programs FOR EACH ROW EXECUTE FUNCTION assay_touch_updated_at();
CREATE TRIGGER courses_touch BEFORE UPDATE ON courses FOR EACH ROW EXECUTE FUNCTION assay_touch_updated_at();
CREATE TRIGGER assessments_touch BEFORE UPDATE ON assessments FOR EACH ROW EXECUTE FUNCTION assay_touch_updated_at();
CREATE TRIGGER cohorts_touch BEFORE UPDATE ON cohorts FOR EACH ROW EXECUTE FUNCTION assay_touch_updated_at();
CREATE TRIGGER enrolments_touch BEFORE UPDATE ON enrolments FOR EACH ROW EXECUTE FUNCTION assay_touch_updated_at();
CREATE TRIGGER certifications_touch BEFORE UPDATE ON certifications FOR EACH ROW EXECUTE FUNCTION assay_touch_updated_at();

ALTER TABLE training_programs ENABLE ROW LEVEL SECURITY;
ALTER TABLE training_program_phases ENABLE ROW LEVEL SECURITY;
ALTER TABLE courses ENABLE ROW LEVEL SECURITY;
ALTER TABLE course_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE course_modules ENABLE ROW LEVEL SECURITY;
ALTER TABLE course_module_attachments ENABLE ROW LEVEL SECURITY;
ALTER TABLE assessments ENABLE ROW LEVEL SECURITY;
ALTER TABLE assessment_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE cohorts ENABLE ROW LEVEL SECURITY;
ALTER TABLE cohort_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE enrolment_rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE enrolments ENABLE ROW LEVEL SECURITY;
ALTER TABLE enrolment_module_progress ENABLE ROW LEVEL SECURITY;
ALTER TABLE assessment_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE assessment_attempt_answers ENABLE ROW LEVEL SECURITY;
ALTER TABLE certifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE certification_awards ENABLE ROW LEVEL SECURITY;

CREATE POLICY training_programs_scope ON training_programs TO assay_app
  USING (assay_training_content_visible(vendor_id));
CREATE POLICY training_program_phases_scope ON training_program_phases TO assay_app
  USING (EXISTS (SELECT 1 FROM training_programs p WHERE p.id = program_id));
CREATE POLICY courses_scope ON courses TO assay_app
  USING (assay_training_content_visible(vendor_id));
CREATE POLICY course_versions_scope ON course_versions TO assay_app
  USING (EXISTS (SELECT 1 FROM courses c WHERE c.id = course_id));
CREATE POLICY course_modules_scope ON course_modules TO assay_app
  USING (EXISTS (SELECT 1 FROM course_versions v WHERE v.id = course_version_id));
CREATE POLICY course_module_attachments_scope ON course_module_attachments TO assay_app
  USING (EXISTS (SELECT 1 FROM course_modules m WHERE m.id = module_id));
CREATE POLICY assessments_scope ON assessments TO assay_app
  USING (EXISTS (SELECT 1 FROM course_versions v WHERE v.id = course_version_id));
CREATE POLICY assessment_items_scope ON assessment_items TO assay_app
  USING (EXISTS (SELECT 1 FROM assessments a WHERE a.id = assessment_id));
CREATE POLICY certifications_scope ON certifications TO assay_app
  USING (assay_training_content_visible(vendor_id));
CREATE POLICY enrolment_rules_scope ON enrolment_rules TO assay_app
  USING (assay_scope_kind() <> 'self' AND assay_training_content_visible(vendor_id)
    AND (site_id IS NULL OR assay_scope_kind() IN ('all', 'vendor') OR site_id = assay_scope_id('site')));
CREATE POLICY cohorts_scope ON cohorts TO assay_app
  USING (CASE WHEN assay_scope_kind() = 'self'
    THEN EXISTS (SELECT 1 FROM cohort_members m WHERE m.cohort_id = cohorts.id AND m.person_id = assay_actor_person())
    ELSE assay_row_visible('site', vendor_id, site_id, NULL, NULL) END);
CREATE POLICY cohort_members_scope ON cohort_members TO assay_app
  USING (EXISTS (SELECT 1 FROM people p WHERE p.id = person_id));
CREATE POLICY enrolments_scope ON enrolments TO assay_app
  USING (EXISTS (SELECT 1 FROM people p WHERE p.id = person_id));
CREATE POLICY enrolment_module_progress_scope ON enrolment_module_progress TO assay_app
  USING (EXISTS (SELECT 1 FROM people p WHERE p.id = person_id));
CREATE POLICY assessment_attempts_scope ON assessment_attempts TO assay_app
  USING (EXISTS (SELECT 1 FROM people p WHERE p.id = person_id));
CREATE POLICY assessment_attempt_answers_scope ON assessment_attempt_answers TO assay_app
  USING (EXISTS (SELECT 1 FROM people p WHERE p.id = person_id));
CREATE POLICY certification_awards_scope ON certification_awards TO assay_app
  USING (EXISTS (SELECT 1 FROM people p WHERE p.id = person_id));

GRANT SELECT, INSERT, UPDATE ON training_programs, courses, course_versions, assessments, cohorts,
  cohort_members, enrolment_rules, enrolments, enrolment_module_progress, assessment_attempts,
  certifications, certification_awards TO assay_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON training_program_phases, course_modules, course_module_attachments,
  assessment_items TO assay_app;
GRANT SELECT, INSERT ON assessment_attempt_answers TO assay_app;
GRANT EXECUTE ON FUNCTION assay_training_content_visible(uuid), assay_training_version_status(uuid) TO assay_app;
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
DROP TABLE certification_awards, certifications, assessment_attempt_answers, assessment_attempts,
  enrolment_module_progress, enrolments, enrolment_rules, cohort_members, cohorts, assessment_items,
  assessments, course_module_attachments, course_modules, course_versions, courses,
  training_program_phases, training_programs;
DROP TRIGGER person_workflow_skills_new_hire_rules ON person_workflow_skills;
DROP INDEX people_employee_ref_idx, people_lower_email_idx;
DROP FUNCTION assay_apply_new_hire_rules(), assay_course_content_is_draft(), assay_training_version_status(uuid),
  assay_course_version_is_fixed(), assay_training_content_visible(uuid);
`,
    )
    .execute(db);
}
