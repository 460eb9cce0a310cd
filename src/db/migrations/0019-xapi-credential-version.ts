import { sql, type Kysely } from 'kysely';

/**
 * The xAPI version each credential last spoke, kept with the credential instead of in one server
 * process's memory: a request naming no usable version is refused, and the refusal carries the
 * version header its client speaks, whichever Assay process answers (scale past one machine).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE xapi_credentials ADD COLUMN last_version text CHECK (last_version IN ('1.0.3', '2.0.0'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE xapi_credentials DROP COLUMN last_version`.execute(db);
}
