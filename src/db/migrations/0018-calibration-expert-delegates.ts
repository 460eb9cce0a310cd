import { sql, type Kysely } from 'kysely';

/**
 * Policy SMEs set a calibration's expert answers (docs/decisions/0010): the
 * session's lead may delegate it to an invited participant of the SME group
 * (calibration_participants.sets_expert). A delegate's answers are the
 * reference, so they do not rate.
 *
 * Until now the items, participants and notes policies were FOR ALL on "can see
 * the session": any invited participant could UPDATE the items (the expert
 * answers among them) or another participant's row. Reading keeps that rule;
 * writing is split:
 * - items: inserted and deleted by the session's managers; updated, while the
 *   session is open, by a manager who does not rate it or by a delegated
 *   participant (closed, they are the revealed results);
 * - participants: inserted and deleted by managers; updated by a manager who
 *   does not rate the session, or by the participant on their own row
 *   (progress, submission) without changing their own sets_expert flag;
 * - notes: anyone who sees the session adds them (the service checks taking part).
 * "Managers" is the database's side of canManage(): scope all, or the owner
 * vendor's scope (the service also requires calibration.run).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
ALTER TABLE calibration_participants ADD COLUMN sets_expert boolean NOT NULL DEFAULT false;
-- Only a person of the SME group is delegated (the service answers 422 before this is reached).
ALTER TABLE calibration_participants ADD CONSTRAINT calibration_participants_sets_expert_sme
  CHECK (NOT sets_expert OR (participant_group = 'sme' AND person_id IS NOT NULL));

-- Owner-run, like the 0011 helpers, so the policies can read sessions and participants without recursion.
CREATE FUNCTION assay_calibration_manages(session uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public AS $f$
  SELECT EXISTS (SELECT 1 FROM calibration_sessions s WHERE s.id = session
                 AND (assay_scope_kind() = 'all' OR s.vendor_id = assay_scope_id('vendor')))
$f$;
-- The caller is a participant of this session delegated to set its expert answers (as stored
-- before the statement that asks: a participant's own update cannot grant it).
CREATE FUNCTION assay_calibration_sets_expert(session uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public AS $f$
  SELECT EXISTS (SELECT 1 FROM calibration_participants p
                 WHERE p.session_id = session AND p.person_id = assay_actor_person() AND p.sets_expert)
$f$;
-- The caller rates this session (an invited participant not delegated): a rater does not write the reference
-- the ratings are compared with, even when their scope would let them manage the session.
CREATE FUNCTION assay_calibration_rates(session uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public AS $f$
  SELECT EXISTS (SELECT 1 FROM calibration_participants p
                 WHERE p.session_id = session AND p.person_id = assay_actor_person() AND NOT p.sets_expert)
$f$;

DROP POLICY calibration_items_scope ON calibration_items;
CREATE POLICY calibration_items_read ON calibration_items FOR SELECT TO assay_app
  USING (EXISTS (SELECT 1 FROM calibration_sessions s WHERE s.id = session_id));
CREATE POLICY calibration_items_insert ON calibration_items FOR INSERT TO assay_app
  WITH CHECK (assay_calibration_manages(session_id));
-- Once closed, the items (and their expert answers) are the revealed results: nobody changes them.
CREATE POLICY calibration_items_update ON calibration_items FOR UPDATE TO assay_app
  USING (NOT assay_calibration_closed(session_id)
         AND ((assay_calibration_manages(session_id) AND NOT assay_calibration_rates(session_id)) OR assay_calibration_sets_expert(session_id)))
  WITH CHECK (NOT assay_calibration_closed(session_id)
              AND ((assay_calibration_manages(session_id) AND NOT assay_calibration_rates(session_id)) OR assay_calibration_sets_expert(session_id)));
CREATE POLICY calibration_items_delete ON calibration_items FOR DELETE TO assay_app
  USING (assay_calibration_manages(session_id));

DROP POLICY calibration_participants_scope ON calibration_participants;
CREATE POLICY calibration_participants_read ON calibration_participants FOR SELECT TO assay_app
  USING (EXISTS (SELECT 1 FROM calibration_sessions s WHERE s.id = session_id));
CREATE POLICY calibration_participants_insert ON calibration_participants FOR INSERT TO assay_app
  WITH CHECK (assay_calibration_manages(session_id));
CREATE POLICY calibration_participants_update ON calibration_participants FOR UPDATE TO assay_app
  USING ((assay_calibration_manages(session_id) AND NOT assay_calibration_rates(session_id)) OR person_id = assay_actor_person())
  WITH CHECK ((assay_calibration_manages(session_id) AND NOT assay_calibration_rates(session_id))
              OR (person_id = assay_actor_person() AND sets_expert = assay_calibration_sets_expert(session_id)));
CREATE POLICY calibration_participants_delete ON calibration_participants FOR DELETE TO assay_app
  USING (assay_calibration_manages(session_id));

DROP POLICY calibration_notes_scope ON calibration_notes;
CREATE POLICY calibration_notes_read ON calibration_notes FOR SELECT TO assay_app
  USING (EXISTS (SELECT 1 FROM calibration_sessions s WHERE s.id = session_id));
CREATE POLICY calibration_notes_insert ON calibration_notes FOR INSERT TO assay_app
  WITH CHECK (EXISTS (SELECT 1 FROM calibration_sessions s WHERE s.id = session_id));
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
DROP POLICY calibration_notes_read ON calibration_notes;
DROP POLICY calibration_notes_insert ON calibration_notes;
CREATE POLICY calibration_notes_scope ON calibration_notes TO assay_app
  USING (EXISTS (SELECT 1 FROM calibration_sessions s WHERE s.id = session_id));
DROP POLICY calibration_participants_read ON calibration_participants;
DROP POLICY calibration_participants_insert ON calibration_participants;
DROP POLICY calibration_participants_update ON calibration_participants;
DROP POLICY calibration_participants_delete ON calibration_participants;
CREATE POLICY calibration_participants_scope ON calibration_participants TO assay_app
  USING (EXISTS (SELECT 1 FROM calibration_sessions s WHERE s.id = session_id));
DROP POLICY calibration_items_read ON calibration_items;
DROP POLICY calibration_items_insert ON calibration_items;
DROP POLICY calibration_items_update ON calibration_items;
DROP POLICY calibration_items_delete ON calibration_items;
CREATE POLICY calibration_items_scope ON calibration_items TO assay_app
  USING (EXISTS (SELECT 1 FROM calibration_sessions s WHERE s.id = session_id));
DROP FUNCTION assay_calibration_manages(uuid), assay_calibration_sets_expert(uuid), assay_calibration_rates(uuid);
ALTER TABLE calibration_participants DROP COLUMN sets_expert;
`,
    )
    .execute(db);
}
