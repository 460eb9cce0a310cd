/**
 * Certifications, pure: expiry on award and recertification, and the state
 * of an award at a moment.
 *
 * Recertification rule (docs/decisions/0012-training.md): a new award given
 * while an earlier one is still valid runs from the later of the old expiry
 * and the award date, so recertifying early never shortens the time a person
 * has already earned; once the old award has lapsed (or was revoked), the new
 * one runs from its own award date.
 */

const DAY_MS = 86_400_000;

export const EXPIRING_SOON_DAYS = 30;

export type AwardState = 'valid' | 'expiring_soon' | 'expired' | 'revoked';

export interface AwardTimes {
  awardedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export function expiryFor(awardedAt: Date, validityDays: number, current: AwardTimes | null): Date {
  const stillValid = current !== null && current.revokedAt === null && current.expiresAt.getTime() > awardedAt.getTime();
  const from = stillValid ? current.expiresAt : awardedAt;
  return new Date(from.getTime() + validityDays * DAY_MS);
}

/** Valid at `at`: awarded by then, not yet expired, not revoked by then. */
export function isValidAt(award: AwardTimes, at: Date): boolean {
  const t = at.getTime();
  return award.awardedAt.getTime() <= t && t < award.expiresAt.getTime() && (award.revokedAt === null || award.revokedAt.getTime() > t);
}

export function awardState(award: AwardTimes, at: Date, soonDays = EXPIRING_SOON_DAYS): AwardState {
  if (award.revokedAt !== null && award.revokedAt.getTime() <= at.getTime()) return 'revoked';
  if (at.getTime() >= award.expiresAt.getTime()) return 'expired';
  return award.expiresAt.getTime() - at.getTime() <= soonDays * DAY_MS ? 'expiring_soon' : 'valid';
}
