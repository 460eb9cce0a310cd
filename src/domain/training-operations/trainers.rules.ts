import { Issues } from '../errors.ts';

/**
 * The observation rubric for a training session and its checks, pure. Each
 * criterion is scored 1 (not yet) to 5 (role model); the overall is their mean.
 */

export const OBSERVATION_RUBRIC = [
  { key: 'preparation', label: 'Preparation and materials' },
  { key: 'policy_accuracy', label: 'Policy accuracy (matches the version in force)' },
  { key: 'clarity', label: 'Clarity of explanation' },
  { key: 'engagement', label: 'Engagement and participation' },
  { key: 'checks_understanding', label: 'Checks understanding (questions, practice cases)' },
  { key: 'wellbeing', label: 'Handles sensitive content with care (warnings, breaks)' },
  { key: 'time_management', label: 'Time management' },
] as const;

export const SCORE_LABELS = ['Not yet', 'Developing', 'Competent', 'Strong', 'Role model'] as const;

export function checkObservationScores(scores: ReadonlyArray<{ key: string; score: number }>): { scores: Array<{ key: string; score: number }>; overall: number } {
  const issues = new Issues();
  const known = new Set<string>(OBSERVATION_RUBRIC.map((c) => c.key));
  const seen = new Set<string>();
  scores.forEach((s, i) => {
    if (!known.has(s.key)) issues.add(`/scores/${i}/key`, `One of ${[...known].join(', ')}.`);
    if (seen.has(s.key)) issues.add(`/scores/${i}/key`, 'Scored twice.');
    seen.add(s.key);
    if (!Number.isInteger(s.score) || s.score < 1 || s.score > 5) issues.add(`/scores/${i}/score`, 'A whole number from 1 to 5.');
  });
  if (scores.length === 0) issues.add('/scores', 'Score at least one criterion.');
  issues.throwIfAny();
  const overall = Math.round((scores.reduce((a, s) => a + s.score, 0) / scores.length) * 100) / 100;
  return { scores: OBSERVATION_RUBRIC.flatMap((c) => scores.filter((s) => s.key === c.key)), overall };
}

export type CertificationState = 'valid' | 'expiring' | 'expired' | 'revoked';

/** valid, expiring (within 30 days), expired, or revoked on `today`. */
export function certificationState(c: { expiresOn: string | null; revokedAt: string | null }, today: string): CertificationState {
  if (c.revokedAt) return 'revoked';
  if (c.expiresOn === null) return 'valid';
  if (c.expiresOn < today) return 'expired';
  const days = (Date.parse(c.expiresOn) - Date.parse(today)) / 86_400_000;
  return days <= 30 ? 'expiring' : 'valid';
}
