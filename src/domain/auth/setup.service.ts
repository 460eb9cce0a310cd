import { randomInt } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { asSystem } from '../../db/scoped.ts';
import { countUsers } from '../../db/repositories/users.repository.ts';
import { deleteSetting, lockFor, readSetting, writeSetting } from '../../db/repositories/settings.repository.ts';
import { systemActor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError } from '../errors.ts';
import { digest, safeEqual } from './secrets.ts';
import { createUser, type User } from './users.service.ts';

/**
 * A fresh install has no users and no default password. The first
 * administrator comes either from `assay user create --role admin` or from the
 * setup page, which asks for a one-time code printed in the server's console:
 * only someone who can read the server's output can claim the install.
 */
const SETTING = 'setup_code_digest';
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export async function setupNeeded(db: Db): Promise<boolean> {
  return (await countUsers(db)) === 0;
}

/** Issues a new setup code when there are no users; null when setup is done. */
export async function issueSetupCode(db: Db): Promise<string | null> {
  return asSystem(db, async (trx) => {
    await lockFor(trx, 'assay.setup');
    if ((await countUsers(trx)) > 0) return null;
    const code = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('').replace(/(.{4})(?!$)/g, '$1-');
    await writeSetting(trx, SETTING, digest(code));
    return code;
  });
}

export async function completeSetup(
  db: Db,
  input: { setupCode: string; email: string; displayName: string; password: string },
  client: { ip: string | null; userAgent: string | null; requestId: string | null },
): Promise<User> {
  return asSystem(db, async (trx) => {
    await lockFor(trx, 'assay.setup');
    if ((await countUsers(trx)) > 0) throw new AppError('CONFLICT', 'Setup is already complete; sign in instead.');
    const expected = await readSetting<string>(trx, SETTING);
    const given = digest(input.setupCode.trim().toUpperCase());
    if (!expected || !safeEqual(expected, given)) {
      throw new AppError('VALIDATION_FAILED', 'The setup code is not right.', [
        { path: '/setupCode', message: 'Copy the code printed in the server console when Assay started.' },
      ]);
    }
    const actor = { ...systemActor('setup'), ...client };
    const user = await createUser(trx, actor, {
      email: input.email,
      displayName: input.displayName,
      password: input.password,
      role: 'admin',
      scope: { kind: 'all', refId: null },
    });
    await deleteSetting(trx, SETTING);
    await audit(trx, actor, { action: 'setup.complete', entityType: 'user', entityId: user.id });
    return user;
  });
}
