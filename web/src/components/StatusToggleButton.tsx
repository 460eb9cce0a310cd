import { useState } from 'react';
import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import { errorMessage } from '../api/client';
import type { ActiveStatus } from '../api/types';
import { ConfirmDialog } from './ConfirmDialog';

interface StatusToggleButtonProps {
  /** "vendor", "site"... used in the question and the notification. */
  noun: string;
  name: string;
  status: ActiveStatus;
  consequence?: string;
  onChange: (status: ActiveStatus) => Promise<unknown>;
}

/** Deactivate / Reactivate with a confirmation step. */
export function StatusToggleButton({ noun, name, status, consequence, onChange }: StatusToggleButtonProps) {
  const [opened, setOpened] = useState(false);
  const [pending, setPending] = useState(false);
  // What the open dialog asks about; frozen so the text does not flip while it closes.
  const [asked, setAsked] = useState<ActiveStatus>(status);
  const deactivatingNow = status === 'active';
  const deactivating = asked === 'active';
  const verb = deactivating ? 'Deactivate' : 'Reactivate';
  const buttonVerb = deactivatingNow ? 'Deactivate' : 'Reactivate';

  const confirm = async () => {
    setPending(true);
    try {
      await onChange(deactivating ? 'inactive' : 'active');
      notifications.show({ color: 'green', message: `${name} ${deactivating ? 'deactivated' : 'reactivated'}.` });
      setOpened(false);
    } catch (error) {
      notifications.show({ color: 'red', title: `Could not ${verb.toLowerCase()} ${noun}`, message: errorMessage(error) });
    } finally {
      setPending(false);
    }
  };

  return (
    <>
      <Button
        variant={deactivatingNow ? 'default' : 'light'}
        color={deactivatingNow ? 'red' : 'green'}
        leftSection={
          deactivatingNow ? <IconPlayerPause size={16} aria-hidden="true" /> : <IconPlayerPlay size={16} aria-hidden="true" />
        }
        onClick={() => {
          setAsked(status);
          setOpened(true);
        }}
      >
        {buttonVerb}
      </Button>
      <ConfirmDialog
        opened={opened}
        title={`${verb} ${noun}?`}
        confirmLabel={`${verb} ${noun}`}
        confirmColor={deactivating ? 'red' : 'green'}
        loading={pending}
        onConfirm={() => void confirm()}
        onCancel={() => setOpened(false)}
      >
        {deactivating
          ? `${name} will be marked inactive. ${consequence ?? 'Its history is kept and it can be reactivated later.'}`
          : `${name} will be active again.`}
      </ConfirmDialog>
    </>
  );
}
