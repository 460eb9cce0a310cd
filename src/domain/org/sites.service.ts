import type { Executor } from '../../db/database.ts';
import type { Page } from '../../db/repositories/pagination.ts';
import * as repo from '../../db/repositories/sites.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { changedFields } from '../audit/changes.ts';
import { AppError, Issues, notFound } from '../errors.ts';
import { isValidCountryCode, isValidTimeZone } from './org.rules.ts';

type Status = 'active' | 'inactive';

export interface Site {
  id: string;
  vendorId: string;
  vendorName: string;
  name: string;
  countryCode: string;
  timeZone: string;
  status: Status;
  teamCount: number;
  peopleCount: number;
  createdAt: string;
  updatedAt: string;
}

export type SiteInput = {
  vendorId: string;
  name: string;
  countryCode: string;
  timeZone: string;
  status?: Status;
};

/** vendorId is not patchable: a site belongs to one vendor for life. */
export type SitePatch = {
  name?: string;
  countryCode?: string;
  timeZone?: string;
  status?: Status;
};

function present(row: repo.SiteRecord): Site {
  return {
    id: row.id,
    vendorId: row.vendor_id,
    vendorName: row.vendor_name,
    name: row.name,
    countryCode: row.country_code,
    timeZone: row.time_zone,
    status: row.status,
    teamCount: row.team_count ?? 0,
    peopleCount: row.people_count ?? 0,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function checkFields(issues: Issues, input: SitePatch): SitePatch {
  const out: SitePatch = {};
  if (input.name !== undefined) {
    out.name = input.name.trim().replace(/\s+/g, ' ');
    issues.check(out.name.length > 0, '/name', 'Enter a name.');
    issues.check(out.name.length <= 120, '/name', 'Use at most 120 characters.');
  }
  if (input.countryCode !== undefined) {
    out.countryCode = input.countryCode.trim().toUpperCase();
    issues.check(isValidCountryCode(out.countryCode), '/countryCode', 'Use a two-letter ISO country code, like PH or IE.');
  }
  if (input.timeZone !== undefined) {
    out.timeZone = input.timeZone.trim();
    issues.check(
      out.timeZone.length > 0 && isValidTimeZone(out.timeZone),
      '/timeZone',
      'Use an IANA time zone, like Asia/Manila or Europe/Dublin.',
    );
  }
  if (input.status !== undefined) out.status = input.status;
  return out;
}

export async function listSites(trx: Executor, filter: repo.SiteFilter, page: Page) {
  const { rows, total } = await repo.listSites(trx, filter, page);
  return { items: rows.map(present), total };
}

export async function getSite(trx: Executor, id: string): Promise<Site> {
  const row = await repo.findSite(trx, id);
  if (!row) throw notFound('Site');
  return present(row);
}

export async function createSite(trx: Executor, actor: Actor, input: SiteInput): Promise<Site> {
  // A narrower viewer could not see the new row; row-level security would refuse it anyway.
  if (actor.scope.kind !== 'all' && actor.scope.kind !== 'vendor') {
    throw new AppError('FORBIDDEN', 'Only people with vendor-wide or organisation-wide scope can add sites.');
  }
  const issues = new Issues();
  const fields = checkFields(issues, input);
  // Looked up through the viewer's transaction: a vendor out of scope is simply not there.
  const vendor = await repo.findVendorRef(trx, input.vendorId);
  if (!vendor) issues.add('/vendorId', 'No such vendor.');
  else if (vendor.status !== 'active') issues.add('/vendorId', 'This vendor is inactive; reactivate it before adding sites.');
  issues.throwIfAny();
  const { id } = await repo.insertSite(trx, {
    vendorId: input.vendorId,
    name: fields.name!,
    countryCode: fields.countryCode!,
    timeZone: fields.timeZone!,
    status: fields.status,
  });
  const site = await getSite(trx, id);
  await audit(trx, actor, {
    action: 'site.create',
    entityType: 'site',
    entityId: id,
    vendorId: site.vendorId,
    details: { name: site.name, countryCode: site.countryCode, timeZone: site.timeZone, status: site.status },
  });
  return site;
}

export async function updateSite(trx: Executor, actor: Actor, id: string, patch: SitePatch): Promise<Site> {
  const before = await getSite(trx, id);
  const issues = new Issues();
  const fields = checkFields(issues, patch);
  issues.throwIfAny();
  const changes = changedFields(before as unknown as Record<string, unknown>, fields);
  if (Object.keys(changes).length === 0) return before;
  await repo.updateSite(trx, id, fields);
  const after = await getSite(trx, id);
  const statusChanged = fields.status !== undefined && fields.status !== before.status;
  await audit(trx, actor, {
    action: statusChanged ? (fields.status === 'inactive' ? 'site.deactivate' : 'site.reactivate') : 'site.update',
    entityType: 'site',
    entityId: id,
    vendorId: after.vendorId,
    details: { changes },
  });
  return after;
}
