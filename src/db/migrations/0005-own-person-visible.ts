import { sql, type Kysely } from 'kysely';

/**
 * A viewer always sees their own person record and its vendor, read-only,
 * even when their scope lies elsewhere: a QA specialist of one site who is
 * scoped to audit another must still be themselves (the reviewer of their
 * reviews, with their own vendor). Writes keep the scope's policy only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
CREATE FUNCTION assay_actor_person() RETURNS uuid LANGUAGE sql STABLE AS $f$
  SELECT nullif(current_setting('assay.actor_person', true), '')::uuid
$f$;
CREATE POLICY people_own_record ON people FOR SELECT TO assay_app
  USING (id = assay_actor_person());
CREATE POLICY vendors_own_employer ON vendors FOR SELECT TO assay_app
  USING (id = (SELECT p.vendor_id FROM people p WHERE p.id = assay_actor_person()));
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
DROP POLICY vendors_own_employer ON vendors;
DROP POLICY people_own_record ON people;
DROP FUNCTION assay_actor_person();
`,
    )
    .execute(db);
}
