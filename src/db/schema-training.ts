/** Kysely table types: Training programs, courses, assessments, enrolments, certifications, cohorts, coaching, trainers, surveys (issue 7). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TrainingTables {}
