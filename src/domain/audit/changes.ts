/** The fields that differ between two versions of a record, as {field: [before, after]}, for audit details. */
export function changedFields(before: object, after: object): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const [field, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const previous = (before as Record<string, unknown>)[field];
    if (JSON.stringify(previous) !== JSON.stringify(value)) changes[field] = [previous ?? null, value];
  }
  return changes;
}
