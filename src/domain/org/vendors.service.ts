import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/vendors.repository.ts';
import type { Page } from '../../db/repositories/pagination.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { changedFields } from '../audit/changes.ts';
import { AppError, Issues, notFound } from '../errors.ts';

export interface Vendor {
  id: string;
  name: string;
  code: string;
  isInHouse: boolean;
  status: 'active' | 'inactive';
  siteCount: number;
  peopleCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface VendorInput {
  name: string;
  code: string;
  isInHouse?: boolean;
}

export interface VendorPatch {
  name?: string;
  code?: string;
  isInHouse?: boolean;
  status?: 'active' | 'inactive';
}

type Row = NonNullable<Awaited<ReturnType<typeof repo.findVendor>>>;

function present(row: Row): Vendor {
  return {
    id: row.id,
    name: row.name,
    code: row.code,
    isInHouse: row.is_in_house,
    status: row.status,
    siteCount: row.site_count ?? 0,
    peopleCount: row.people_count ?? 0,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function checkFields(input: VendorPatch): VendorPatch {
  const issues = new Issues();
  const out: VendorPatch = { ...input };
  if (input.name !== undefined) {
    // 'Coralpoint  Support' and 'Coralpoint Support' are one vendor.
    out.name = input.name.trim().replace(/\s+/g, ' ');
    issues.check(out.name.length > 0, '/name', 'Enter a name.');
    issues.check(out.name.length <= 120, '/name', 'Use at most 120 characters.');
  }
  if (input.code !== undefined) {
    out.code = input.code.trim().toUpperCase();
    issues.check(/^[A-Z0-9]{2,12}$/.test(out.code), '/code', 'Use 2 to 12 letters or digits, like NRS.');
  }
  issues.throwIfAny();
  return out;
}

export async function listVendors(trx: Executor, filter: repo.VendorFilter, page: Page) {
  const { rows, total } = await repo.listVendors(trx, filter, page);
  return { items: rows.map(present), total };
}

export async function getVendor(trx: Executor, id: string): Promise<Vendor> {
  const row = await repo.findVendor(trx, id);
  if (!row) throw notFound('Vendor');
  return present(row);
}

export async function createVendor(trx: Executor, actor: Actor, input: VendorInput): Promise<Vendor> {
  if (actor.scope.kind !== 'all') {
    throw new AppError('FORBIDDEN', 'Only people with organisation-wide scope can add vendors.');
  }
  const fields = checkFields(input);
  const { id } = await repo.insertVendor(trx, {
    name: fields.name!,
    code: fields.code!,
    isInHouse: input.isInHouse ?? false,
  });
  const vendor = await getVendor(trx, id);
  await audit(trx, actor, {
    action: 'vendor.create',
    entityType: 'vendor',
    entityId: id,
    vendorId: id,
    details: { name: vendor.name, code: vendor.code, isInHouse: vendor.isInHouse },
  });
  return vendor;
}

export async function updateVendor(trx: Executor, actor: Actor, id: string, patch: VendorPatch): Promise<Vendor> {
  const before = await getVendor(trx, id);
  if (patch.isInHouse !== undefined && actor.scope.kind !== 'all') {
    throw new AppError('FORBIDDEN', 'Only people with organisation-wide scope can change whether a vendor is in-house.');
  }
  const fields = checkFields(patch);
  const changes = changedFields(before, fields);
  if (Object.keys(changes).length === 0) return before;
  await repo.updateVendor(trx, id, fields);
  const statusChanged = patch.status !== undefined && patch.status !== before.status;
  await audit(trx, actor, {
    action: statusChanged ? `vendor.${patch.status === 'inactive' ? 'deactivate' : 'reactivate'}` : 'vendor.update',
    entityType: 'vendor',
    entityId: id,
    vendorId: id,
    details: { changes },
  });
  return getVendor(trx, id);
}
