import { sql, type Kysely } from 'kysely';

/**
 * A reaction survey may follow one course: learners who finish that course
 * (or attend a cohort session teaching it) are asked that survey's questions
 * rather than the general one. A survey with no course is the general survey
 * sent after any other training (docs/decisions/0013).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
ALTER TABLE survey_definitions ADD COLUMN course_id uuid REFERENCES courses (id);
CREATE INDEX survey_definitions_course_idx ON survey_definitions (course_id, created_at DESC) WHERE status = 'active';
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE survey_definitions DROP COLUMN IF EXISTS course_id;`).execute(db);
}
