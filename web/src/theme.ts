/**
 * Mantine theme. Colours are tuned for WCAG AA contrast: light-variant text
 * (badges, subtle buttons, active nav links) and "dimmed" text are darker
 * than Mantine's defaults, and filled components pick black or white text.
 */
import { createTheme, darken, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 5 },
  autoContrast: true,
  luminanceThreshold: 0.185,
  defaultRadius: 'sm',
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  headings: { fontWeight: '650' },
  components: {
    Table: { defaultProps: { verticalSpacing: 'xs', highlightOnHover: true } },
    // Badges hold one or two words: never squeeze them into "ACTI…" when a
    // table column is tight; the column gives up space instead.
    Badge: { defaultProps: { variant: 'light', radius: 'sm' }, styles: { root: { minWidth: 'max-content' } } },
    Tooltip: { defaultProps: { withArrow: true } },
    // Option lists scroll themselves instead of through a ScrollArea viewport:
    // the scrolling element is then the listbox the input controls, which
    // keyboard users reach with the arrow keys (a bare ScrollArea viewport is
    // a scroll region nobody can focus: axe's scrollable-region-focusable).
    Select: { defaultProps: { withScrollArea: false } },
    MultiSelect: { defaultProps: { withScrollArea: false } },
    Autocomplete: { defaultProps: { withScrollArea: false } },
    TagsInput: { defaultProps: { withScrollArea: false } },
    ComboboxOptions: { defaultProps: { style: { maxHeight: 'min(15rem, 50vh)', overflowY: 'auto', overscrollBehavior: 'contain' } } },
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } },
    // A <header> inside a dialog reads as a second page banner to assistive tech.
    ModalHeader: { defaultProps: { component: 'div' } },
    DrawerHeader: { defaultProps: { component: 'div' } },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': 'Close panel' } } },
    Notification: { defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } } },
  },
});

export const cssVariablesResolver: CSSVariablesResolver = (resolved) => {
  const light: Record<string, string> = {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  };
  for (const [name, shades] of Object.entries(resolved.colors)) {
    if (!shades || name === 'dark') continue;
    light[`--mantine-color-${name}-light`] = shades[0];
    light[`--mantine-color-${name}-light-hover`] = shades[1];
    light[`--mantine-color-${name}-light-color`] = darken(shades[9], name === 'gray' ? 0 : 0.3);
    light[`--mantine-color-${name}-outline`] = darken(shades[9], 0.15);
    light[`--mantine-color-${name}-text`] = darken(shades[9], 0.15);
  }
  return { variables: {}, light, dark: {} };
};
