/**
 * List filters and paging kept in the URL (?q=&vendorId=&offset=), so a
 * filtered view can be bookmarked and shared. Changing a filter resets paging.
 */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

export const PAGE_SIZE = 50;

export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const [searchParams, setSearchParams] = useSearchParams();

  const filters = useMemo(() => {
    const result = {} as Record<K, string>;
    for (const key of keys) result[key] = searchParams.get(key) ?? '';
    return result;
    // keys is a constant array at every call site
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [searchParams]);

  const offset = Math.max(0, Number.parseInt(searchParams.get('offset') ?? '0', 10) || 0);

  const setFilter = useCallback(
    (key: K, value: string | null) => {
      setSearchParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          if (value) next.set(key, value);
          else next.delete(key);
          next.delete('offset');
          return next;
        },
        { replace: true },
      );
    },
    [setSearchParams],
  );

  /** Several filters at once (e.g. a vendor and the site under it). */
  const setFilters = useCallback(
    (values: Partial<Record<K, string | null>>) => {
      setSearchParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          for (const [key, value] of Object.entries(values) as Array<[K, string | null]>) {
            if (value) next.set(key, value);
            else next.delete(key);
          }
          next.delete('offset');
          return next;
        },
        { replace: true },
      );
    },
    [setSearchParams],
  );

  const setOffset = useCallback(
    (value: number) => {
      setSearchParams((previous) => {
        const next = new URLSearchParams(previous);
        if (value > 0) next.set('offset', String(value));
        else next.delete('offset');
        return next;
      });
    },
    [setSearchParams],
  );

  /** Filters with empty values removed, plus paging: ready for the API. */
  const query = useMemo(() => {
    const result: Record<string, string | number> = { limit: PAGE_SIZE, offset };
    for (const key of keys) if (filters[key]) result[key] = filters[key];
    return result;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filters, offset]);

  return { filters, setFilter, setFilters, offset, setOffset, query, limit: PAGE_SIZE };
}
