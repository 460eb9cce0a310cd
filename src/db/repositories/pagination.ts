import { sql, type SelectQueryBuilder } from 'kysely';

/** Escapes LIKE wildcards so a search for '50%' finds '50%'. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[%_\\]/g, '\\$&')}%`;
}

export interface Page {
  limit: number;
  offset: number;
}

/** `count(*) over ()`: the total of a filtered list, read from the same query as its page. */
export const totalCount = sql<number>`(count(*) over ())::int`.as('total_count');

/** The total when the page is past the end (and so carries no total_count). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function countRows(query: SelectQueryBuilder<any, any, any>): Promise<number> {
  const row = await query.clearSelect().clearOrderBy().select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  return (row as { n: number } | undefined)?.n ?? 0;
}
