import { sql, type Kysely } from 'kysely';

/**
 * A reviewer working an open gold or double-review task must not find the
 * other reviews of that decision: the primary review would tell them the item
 * was reviewed before (so it is gold, or a double review) and what was
 * answered. While such a task is open (or claimed) by the viewer, every
 * review of its decision other than their own is hidden from them; once they
 * submit, the decision's reviews are visible again as their scope allows.
 * The viewer's open audit decisions are read once per statement (an
 * initplan), by a SECURITY DEFINER function so the check neither recurses
 * into qa_tasks' own row-level security nor costs a probe per review row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
CREATE INDEX qa_tasks_open_audit_idx ON qa_tasks (assignee_id, claimed_by) WHERE kind = 'audit' AND status IN ('open', 'claimed');

CREATE FUNCTION assay_actor_open_audit_decisions() RETURNS uuid[] LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $f$
  SELECT coalesce(array_agg(t.decision_id), '{}')
  FROM qa_tasks t
  WHERE t.kind = 'audit' AND t.status IN ('open', 'claimed')
    AND assay_actor_person() IS NOT NULL
    AND (t.assignee_id = assay_actor_person() OR t.claimed_by = assay_actor_person())
$f$;
REVOKE ALL ON FUNCTION assay_actor_open_audit_decisions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION assay_actor_open_audit_decisions() TO assay_app;

CREATE POLICY reviews_blind_during_audit_task ON reviews AS RESTRICTIVE FOR SELECT TO assay_app
  USING (reviewer_id = assay_actor_person()
         OR NOT (decision_id = ANY (coalesce((SELECT assay_actor_open_audit_decisions()), '{}'::uuid[]))));
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
DROP POLICY reviews_blind_during_audit_task ON reviews;
DROP FUNCTION assay_actor_open_audit_decisions();
DROP INDEX qa_tasks_open_audit_idx;
`,
    )
    .execute(db);
}
