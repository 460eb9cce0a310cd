import { useEffect } from 'react';
import { Button, Checkbox, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useCreateVendor, useUpdateVendor } from '../../../api/org';
import type { Vendor } from '../../../api/types';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { useServerErrors } from '../../../lib/serverErrors';

interface VendorFormModalProps {
  opened: boolean;
  onClose: () => void;
  /** Edit this vendor; create a new one when absent. */
  vendor?: Vendor;
  onSaved?: (vendor: Vendor) => void;
}

export function VendorFormModal({ opened, onClose, vendor, onSaved }: VendorFormModalProps) {
  const create = useCreateVendor();
  const update = useUpdateVendor();
  const form = useForm({
    initialValues: { name: '', code: '', isInHouse: false },
    validate: {
      name: (v) => (v.trim() ? null : 'Enter the vendor name'),
      code: (v) => (v.trim() ? null : 'Enter a short code'),
    },
  });
  const { formError, handleError, clear } = useServerErrors(form);

  useEffect(() => {
    if (!opened) return;
    clear();
    form.setInitialValues({ name: vendor?.name ?? '', code: vendor?.code ?? '', isInHouse: vendor?.isInHouse ?? false });
    form.reset();
    // Reset only when the modal opens or switches record.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, vendor?.id]);

  const submit = form.onSubmit((values) => {
    clear();
    const body = { name: values.name.trim(), code: values.code.trim(), isInHouse: values.isInHouse };
    const done = (saved: Vendor) => {
      notifications.show({ color: 'green', message: vendor ? `${saved.name} saved.` : `${saved.name} created.` });
      onSaved?.(saved);
      onClose();
    };
    if (vendor) update.mutate({ id: vendor.id, body }, { onSuccess: done, onError: handleError });
    else create.mutate(body, { onSuccess: done, onError: handleError });
  });

  return (
    <Modal opened={opened} onClose={onClose} title={vendor ? `Edit ${vendor.name}` : 'New vendor'}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormErrorAlert error={formError} />
          <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
          <TextInput
            label="Code"
            description="Short unique code used in reports and exports, e.g. ACME."
            required
            {...form.getInputProps('code')}
          />
          <Checkbox
            label="In-house team (not an outsourced vendor)"
            {...form.getInputProps('isInHouse', { type: 'checkbox' })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending}>
              {vendor ? 'Save vendor' : 'Create vendor'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
