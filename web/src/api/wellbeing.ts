/**
 * Wellbeing: the limits an administrator sets per severity tier, each
 * person's choices within them, and a person's own exposure figures.
 * Types restate src/domain/wellbeing/wellbeing.rules.ts.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from './client';

export const TIERS = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type Tier = (typeof TIERS)[number];
export const PROTECTIONS = ['blur', 'greyscale', 'mute'] as const;
export type Protection = (typeof PROTECTIONS)[number];
/** 'always': nobody may turn it off; 'default_on' / 'default_off': people choose, this is the start. */
export type Mode = 'always' | 'default_on' | 'default_off';

export interface TierLimits {
  blur: Mode;
  greyscale: Mode;
  mute: Mode;
  warningScreen: boolean;
}
export type WellbeingLimits = Record<Tier, TierLimits>;
export type WellbeingPreferences = Partial<Record<Tier, Partial<Record<Protection, boolean>>>>;

export interface EffectiveDisplay {
  tier: Tier;
  blur: boolean;
  greyscale: boolean;
  mute: boolean;
  warningScreen: boolean;
  adjustable: Protection[];
}

export interface PreferencesView {
  preferences: WellbeingPreferences;
  limits: WellbeingLimits;
  effective: EffectiveDisplay[];
}

export interface ExposureFigures {
  totalSeconds: number;
  totalItems: number;
  byHarmType: Array<{ harmType: string; seconds: number; items: number; reveals: number }>;
}

export interface MyExposure {
  last7Days: ExposureFigures;
  last30Days: ExposureFigures;
}

const keys = {
  preferences: ['wellbeing', 'preferences'] as const,
  settings: ['wellbeing', 'settings'] as const,
  exposure: ['wellbeing', 'exposure', 'me'] as const,
};

export const usePreferences = () =>
  useQuery({ queryKey: keys.preferences, queryFn: ({ signal }) => api.get<PreferencesView>('/wellbeing/preferences', undefined, signal) });

export const useWellbeingLimits = (enabled: boolean) =>
  useQuery({ queryKey: keys.settings, queryFn: ({ signal }) => api.get<WellbeingLimits>('/wellbeing/settings', undefined, signal), enabled });

export const useMyExposure = () =>
  useQuery({ queryKey: keys.exposure, queryFn: ({ signal }) => api.get<MyExposure>('/exposure/me', undefined, signal) });

export function useSavePreferences() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: WellbeingPreferences) => apiRequest<PreferencesView>('PUT', '/wellbeing/preferences', { body }),
    onSuccess: (view) => {
      client.setQueryData(keys.preferences, view);
      return client.invalidateQueries({ queryKey: ['review'] });
    },
  });
}

export function useSaveLimits() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: WellbeingLimits) => apiRequest<WellbeingLimits>('PUT', '/wellbeing/settings', { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['wellbeing'] }),
  });
}
