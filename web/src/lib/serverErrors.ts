/**
 * Map the API's validation `details` (JSON pointers into the request body) onto
 * Mantine form fields, so every message shows under the input it is about.
 * Whatever cannot be placed on a field is returned for a form-level alert.
 */
import { useCallback, useState } from 'react';
import type { UseFormReturnType } from '@mantine/form';
import { isApiError, errorMessage, type ApiErrorDetail } from '../api/client';

/** `/labels/2/key` -> `labels.2.key` (RFC 6901 unescaping included). */
export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .filter((segment, index) => !(index === 0 && segment === ''))
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

const MISSING = Symbol('missing');

function valueAt(values: unknown, path: string): unknown {
  let current: unknown = values;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object' || !(segment in (current as object))) return MISSING;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

const isPlainObject = (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The form field that should show an error about `path`, or null. Inputs show
 * errors for whole primitive arrays (`languages`, not `languages.0`) and for
 * the fields of object rows (`labels.2.key`); an error about a whole row
 * (`labels.2`) goes to its list with a row number.
 */
function resolveField(values: unknown, path: string): { field: string; prefix: string } | null {
  const segments = path.split('.');
  for (let length = segments.length; length > 0; length -= 1) {
    const candidate = segments.slice(0, length).join('.');
    const value = valueAt(values, candidate);
    if (value === MISSING) continue;
    const parentPath = segments.slice(0, length - 1).join('.');
    const parent = parentPath ? valueAt(values, parentPath) : values;
    const index = segments[length - 1] ?? '';
    if (Array.isArray(parent) && /^\d+$/.test(index)) {
      // An element of an array: primitives are edited by the array's input;
      // a whole object row has no input of its own.
      if (!isPlainObject(value)) return { field: parentPath, prefix: '' };
      return { field: parentPath, prefix: `Row ${Number(index) + 1}: ` };
    }
    if (isPlainObject(value)) return null;
    return { field: candidate, prefix: '' };
  }
  return null;
}

export interface FormLevelError {
  message: string;
  /** Details that could not be attached to a field. */
  details: ApiErrorDetail[];
}

/**
 * Puts field errors on the form; returns what is left for the alert, or null
 * when every message landed on a field.
 *
 * `fieldMap` renames request paths to form paths where they differ, e.g.
 * `{ 'scope.refId': 'scopeRefId' }`. Paths the form does not have (query
 * parameters such as `?limit`, or unknown fields) stay for the alert.
 */
export function applyServerErrors<V extends Record<string, any>>(
  form: UseFormReturnType<V, any, any>,
  error: unknown,
  fieldMap: Record<string, string> = {},
): FormLevelError | null {
  if (!isApiError(error)) return { message: errorMessage(error), details: [] };
  const values = form.getValues();
  const fieldErrors: Record<string, string> = {};
  const unmatched: ApiErrorDetail[] = [];

  for (const detail of error.details) {
    const requestPath = pointerToPath(detail.path);
    const resolved = resolveField(values, fieldMap[requestPath] ?? requestPath);
    if (resolved) {
      const message = `${resolved.prefix}${detail.message}`;
      const existing = fieldErrors[resolved.field];
      fieldErrors[resolved.field] = existing ? `${existing} ${message}` : message;
    } else {
      unmatched.push(detail);
    }
  }

  form.setErrors(fieldErrors);
  if (Object.keys(fieldErrors).length > 0) {
    // Move keyboard focus to the first field the server complained about.
    // (Pickers only scroll into view: focusing them would pop their list open.)
    window.setTimeout(() => {
      const invalid = document.querySelector<HTMLElement>('[aria-invalid="true"]');
      if (!invalid) return;
      if (invalid.getAttribute('aria-haspopup') === 'listbox' || invalid.closest('.mantine-PillsInput-field, [data-combobox-target]')) {
        invalid.scrollIntoView({ block: 'center', behavior: 'smooth' });
      } else {
        invalid.focus();
      }
    }, 0);
  }
  if (unmatched.length === 0 && Object.keys(fieldErrors).length > 0) return null;
  return { message: error.message, details: unmatched };
}

/** State + handler pair for a form that submits to the API. */
export function useServerErrors<V extends Record<string, any>>(
  form: UseFormReturnType<V, any, any>,
  fieldMap: Record<string, string> = {},
) {
  const [formError, setFormError] = useState<FormLevelError | null>(null);
  const handleError = useCallback(
    (error: unknown) => setFormError(applyServerErrors(form, error, fieldMap)),
    // fieldMap is a literal at call sites; its identity does not matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [form],
  );
  const clear = useCallback(() => setFormError(null), []);
  return { formError, handleError, clear };
}
