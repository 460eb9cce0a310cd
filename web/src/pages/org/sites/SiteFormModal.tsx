import { useEffect, useMemo } from 'react';
import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useCreateSite, useUpdateSite } from '../../../api/org';
import type { Site } from '../../../api/types';
import { VendorSelect } from '../../../components/EntityPickers';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { getCountryOptions, getTimeZones, localTimeIn } from '../../../lib/format';
import { useServerErrors } from '../../../lib/serverErrors';
import { useNow } from '../../../lib/useNow';

interface SiteFormModalProps {
  opened: boolean;
  onClose: () => void;
  site?: Site;
  /** Preselected vendor for a new site (e.g. from the vendor page). */
  vendorId?: string;
}

export function SiteFormModal({ opened, onClose, site, vendorId }: SiteFormModalProps) {
  const create = useCreateSite();
  const update = useUpdateSite();
  const now = useNow();
  const countries = useMemo(getCountryOptions, []);
  const timeZones = useMemo(getTimeZones, []);
  const form = useForm({
    initialValues: { vendorId: '', name: '', countryCode: '', timeZone: '' },
    validate: {
      vendorId: (v) => (v ? null : 'Choose the vendor that runs this site'),
      name: (v) => (v.trim() ? null : 'Enter the site name'),
      countryCode: (v) => (v ? null : 'Choose a country'),
      timeZone: (v) => (v ? null : 'Choose a time zone'),
    },
  });
  const { formError, handleError, clear } = useServerErrors(form);

  useEffect(() => {
    if (!opened) return;
    clear();
    form.setInitialValues({
      vendorId: site?.vendorId ?? vendorId ?? '',
      name: site?.name ?? '',
      countryCode: site?.countryCode ?? '',
      timeZone: site?.timeZone ?? '',
    });
    form.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, site?.id, vendorId]);

  const submit = form.onSubmit((values) => {
    clear();
    const common = { name: values.name.trim(), countryCode: values.countryCode, timeZone: values.timeZone };
    const done = (saved: Site) => {
      notifications.show({ color: 'green', message: site ? `${saved.name} saved.` : `${saved.name} created.` });
      onClose();
    };
    if (site) update.mutate({ id: site.id, body: common }, { onSuccess: done, onError: handleError });
    else create.mutate({ ...common, vendorId: values.vendorId }, { onSuccess: done, onError: handleError });
  });

  const tz = form.values.timeZone;
  return (
    <Modal opened={opened} onClose={onClose} title={site ? `Edit ${site.name}` : 'New site'}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormErrorAlert error={formError} />
          <VendorSelect
            label="Vendor"
            required
            disabled={Boolean(site)}
            description={site ? 'A site cannot move to another vendor.' : undefined}
            {...form.getInputProps('vendorId')}
          />
          <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
          <Select
            label="Country"
            required
            searchable
            data={countries}
            nothingFoundMessage="No country matches"
            {...form.getInputProps('countryCode')}
          />
          <Select
            label="Time zone"
            required
            searchable
            data={timeZones}
            limit={100}
            nothingFoundMessage="No time zone matches"
            description={tz ? `Local time there now: ${localTimeIn(tz, now)}` : 'IANA name, e.g. Asia/Manila'}
            {...form.getInputProps('timeZone')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending}>
              {site ? 'Save site' : 'Create site'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
