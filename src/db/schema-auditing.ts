/** Kysely table types: Double review of vendor QA, gold items and reviewer quality (issue 6). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AuditingTables {}
