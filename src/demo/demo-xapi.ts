import type { Db } from '../db/database.ts';
import { asSystem } from '../db/scoped.ts';
import { systemActor } from '../domain/access/actor.ts';
import { createCredential, credentialAuthority } from '../domain/xapi/xapi-credentials.service.ts';
import { storeStatements } from '../domain/xapi/xapi-statements.service.ts';
import { chance, demoRng, demoUuid, int } from './demo-random.ts';
import type { DemoData } from './demo-types.ts';

/**
 * The demo's xAPI Learning Record Store (issue 8): a read-only credential for the quality data
 * warehouse, one write credential per outsourced vendor's LMS, and the statements those LMSs sent
 * over the last four weeks: agents attempting, passing or failing the policy refresher course.
 * Deterministic from the seed (statement ids, outcomes, times); credential keys and secrets are random.
 */

const VERB = (name: string) => ({ id: `http://adlnet.gov/expapi/verbs/${name}`, display: { 'en-US': name } });
const AGENTS_PER_VENDOR = 16;

export async function loadDemoXapi(db: Db, data: DemoData, options: { seed: number; now: Date }): Promise<{ credentials: number; statements: number }> {
  return asSystem(db, async (trx) => {
    const actor = systemActor('demo');
    await createCredential(trx, actor, { name: 'Quality data warehouse', vendorId: null, access: 'read' });
    let credentials = 1;
    let statements = 0;
    const vendorOfSite = new Map(data.sites.map((s) => [s.key, s.vendorKey]));
    for (const vendor of data.vendors.filter((v) => !v.isInHouse)) {
      const lms = await createCredential(trx, actor, { name: `${vendor.name} LMS`, vendorId: vendor.id, access: 'write' });
      credentials += 1;
      const client = { credentialId: lms.id, vendorId: vendor.id, scopeKey: vendor.id, canRead: true, canWrite: true, authority: credentialAuthority(lms.name, lms.key) };
      const home = `https://lms.${vendor.code.toLowerCase()}.example`;
      const course = {
        id: `${home}/courses/hate-speech-refresher-2026-3`,
        definition: { type: 'http://adlnet.gov/expapi/activities/course', name: { 'en-US': 'Hate speech policy refresher (2026.3)' } },
      };
      const agents = data.people.filter((p) => p.jobRole === 'agent' && vendorOfSite.get(p.siteKey) === vendor.key).slice(0, AGENTS_PER_VENDOR);
      const batch = agents.flatMap((person) => {
        const rng = demoRng(options.seed, `xapi:${person.key}`);
        const start = options.now.getTime() - int(rng, 2, 28) * 86_400_000 - int(rng, 0, 8 * 3600) * 1000;
        const actorOf = { objectType: 'Agent', name: person.fullName, mbox: `mailto:${person.email}` };
        const registration = demoUuid(options.seed, `xapi-registration:${person.key}`);
        const scaled = Math.round(rng.number.float({ min: 0.55, max: 1 }) * 100) / 100;
        const passed = scaled >= 0.8;
        const minutes = int(rng, 20, 55);
        const out: Array<Record<string, unknown>> = [
          { id: demoUuid(options.seed, `xapi:${person.key}:attempted`), actor: actorOf, verb: VERB('attempted'), object: course, context: { registration, platform: `${vendor.name} LMS` }, timestamp: new Date(start).toISOString() },
        ];
        if (chance(rng, 0.9)) {
          out.push({
            id: demoUuid(options.seed, `xapi:${person.key}:result`),
            actor: actorOf,
            verb: VERB(passed ? 'passed' : 'failed'),
            object: course,
            context: { registration, platform: `${vendor.name} LMS` },
            timestamp: new Date(start + minutes * 60_000).toISOString(),
            result: { score: { scaled, raw: Math.round(scaled * 20), min: 0, max: 20 }, success: passed, completion: true, duration: `PT${minutes}M` },
          });
        }
        return out;
      });
      // In the order the LMS would have sent them.
      batch.sort((x, y) => String(x.timestamp).localeCompare(String(y.timestamp)));
      if (batch.length > 0) statements += (await storeStatements(trx, client, batch, { version: '1.0.3', multi: true })).length;
    }
    return { credentials, statements };
  });
}
