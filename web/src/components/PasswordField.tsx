import { PasswordInput, type PasswordInputProps } from '@mantine/core';

/**
 * PasswordInput whose show/hide toggle is keyboard reachable and does not
 * contain the word "password" in its name, so `getByLabel('Password')` finds
 * exactly one element.
 */
export function PasswordField(props: PasswordInputProps) {
  return (
    <PasswordInput
      visibilityToggleButtonProps={{ 'aria-label': 'Show or hide the characters typed' }}
      visibilityToggleFocusable
      {...props}
    />
  );
}
