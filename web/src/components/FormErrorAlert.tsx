import { Alert, List } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { FormLevelError } from '../lib/serverErrors';

/** Form-level error: the server's message plus details no field could show. */
export function FormErrorAlert({ error, title = 'Could not save' }: { error: FormLevelError | null; title?: string }) {
  if (!error) return null;
  return (
    <Alert color="red" title={title} icon={<IconAlertCircle aria-hidden="true" />} role="alert">
      {error.message}
      {error.details.length > 0 && (
        <List size="sm" mt="xs">
          {error.details.map((detail) => (
            <List.Item key={`${detail.path}:${detail.message}`}>
              {detail.path ? `${detail.path}: ` : ''}
              {detail.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
