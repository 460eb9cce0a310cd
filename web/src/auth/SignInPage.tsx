import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useKnownSession, useSetupStatus, useSignIn } from '../api/auth';
import { FormErrorAlert } from '../components/FormErrorAlert';
import { PasswordField } from '../components/PasswordField';
import { usePageTitle } from '../components/usePageTitle';
import { useServerErrors } from '../lib/serverErrors';
import { AuthLayout } from './AuthLayout';

/** Only same-app paths are followed after sign-in (no open redirects). */
function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//')) return '/';
  return next;
}

export function SignInPage() {
  usePageTitle('Sign in');
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = safeNext(searchParams.get('next'));
  const session = useKnownSession();
  const setup = useSetupStatus();
  const signIn = useSignIn();

  const form = useForm({
    initialValues: { email: searchParams.get('email') ?? '', password: '' },
    validate: {
      email: (value) => (value.trim() ? null : 'Enter your email'),
      password: (value) => (value ? null : 'Enter your password'),
    },
  });
  const { formError, handleError, clear } = useServerErrors(form);

  if (setup.data?.needed) return <Navigate to="/setup" replace />;
  if (session.data) return <Navigate to={next} replace />;

  const submit = form.onSubmit((values) => {
    clear();
    signIn.mutate(
      { email: values.email.trim(), password: values.password },
      {
        onSuccess: () => navigate(next, { replace: true }),
        onError: (error) => {
          handleError(error);
          form.setFieldValue('password', '');
        },
      },
    );
  });

  return (
    <AuthLayout
      title="Sign in"
      intro={<Text c="dimmed">Quality assurance and training for Trust &amp; Safety operations.</Text>}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormErrorAlert error={formError} title="Sign-in failed" />
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            data-autofocus
            autoFocus
            {...form.getInputProps('email')}
          />
          <PasswordField label="Password" autoComplete="current-password" required {...form.getInputProps('password')} />
          <Button type="submit" loading={signIn.isPending} fullWidth>
            Sign in
          </Button>
        </Stack>
      </form>
      {setup.isError && (
        <Text size="sm" c="dimmed">
          Could not check whether this installation still needs setup.{' '}
          <Anchor component="button" type="button" size="sm" onClick={() => void setup.refetch()}>
            Retry
          </Anchor>
        </Text>
      )}
    </AuthLayout>
  );
}
