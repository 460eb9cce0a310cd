/** Kysely table types: Calibration sessions and imported external ratings (issue 6). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CalibrationTables {}
