/** Kysely table types: The xAPI Learning Record Store (issue 8). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface XapiTables {}
