import { Link, Navigate, useNavigate } from 'react-router-dom';
import { Alert, Anchor, Button, Center, Loader, Stack, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useCompleteSetup, useKnownSession, useSetupStatus } from '../api/auth';
import { errorMessage } from '../api/client';
import { FormErrorAlert } from '../components/FormErrorAlert';
import { PasswordField } from '../components/PasswordField';
import { usePageTitle } from '../components/usePageTitle';
import { useServerErrors } from '../lib/serverErrors';
import { AuthLayout } from './AuthLayout';

/** One-time setup of a fresh installation: creates the first administrator. */
export function SetupPage() {
  usePageTitle('Set up Assay');
  const navigate = useNavigate();
  const setup = useSetupStatus();
  const session = useKnownSession();
  const complete = useCompleteSetup();

  const form = useForm({
    initialValues: { setupCode: '', email: '', displayName: '', password: '' },
    validate: {
      setupCode: (v) => (v.trim() ? null : 'Enter the setup code printed in the server console'),
      email: (v) => (/^\S+@\S+$/.test(v.trim()) ? null : 'Enter a valid email address'),
      displayName: (v) => (v.trim() ? null : 'Enter your name'),
      password: (v) => (v ? null : 'Choose a password'),
    },
  });
  const { formError, handleError, clear } = useServerErrors(form);

  if (setup.isPending) {
    return (
      <Center component="main" h="100vh">
        <Loader aria-hidden="true" />
        <VisuallyHidden role="status">Loading</VisuallyHidden>
      </Center>
    );
  }
  if (session.data) return <Navigate to="/" replace />;

  if (setup.isError) {
    return (
      <AuthLayout title="Set up Assay">
        <Alert color="red" title="Cannot reach the server" role="alert">
          {errorMessage(setup.error)}
        </Alert>
        <Button onClick={() => void setup.refetch()}>Try again</Button>
      </AuthLayout>
    );
  }

  if (!setup.data.needed) {
    return (
      <AuthLayout title="Set up Assay">
        <Text>This installation is already set up.</Text>
        <Anchor component={Link} to="/sign-in">
          Go to sign in
        </Anchor>
      </AuthLayout>
    );
  }

  const submit = form.onSubmit((values) => {
    clear();
    const body = {
      setupCode: values.setupCode.trim(),
      email: values.email.trim(),
      displayName: values.displayName.trim(),
      password: values.password,
    };
    complete.mutate(body, {
      onSuccess: () => {
        notifications.show({
          color: 'green',
          title: 'Administrator created',
          message: 'Sign in with the email and password you just chose.',
        });
        navigate(`/sign-in?email=${encodeURIComponent(body.email)}`, { replace: true });
      },
      onError: handleError,
    });
  });

  return (
    <AuthLayout
      title="Set up Assay"
      intro={
        <Text c="dimmed">
          Create the first administrator. The one-time setup code is printed in the console where the Assay server
          was started.
        </Text>
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormErrorAlert error={formError} title="Setup failed" />
          <TextInput label="Setup code" autoComplete="one-time-code" required {...form.getInputProps('setupCode')} />
          <TextInput label="Your name" autoComplete="name" required {...form.getInputProps('displayName')} />
          <TextInput label="Email" type="email" autoComplete="email" required {...form.getInputProps('email')} />
          <PasswordField
            label="Password"
            description="At least 12 characters; a passphrase is best."
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={complete.isPending} fullWidth>
            Create administrator
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
