import fs from 'node:fs';
import { Command, Option } from 'commander';
import type { Executor } from '../../db/database.ts';
import { asSystem } from '../../db/scoped.ts';
import { systemActor, type Actor } from '../../domain/access/actor.ts';
import { AppError, type FieldIssue } from '../../domain/errors.ts';
import * as people from '../../domain/org/people.service.ts';
import * as sites from '../../domain/org/sites.service.ts';
import * as teams from '../../domain/org/teams.service.ts';
import * as vendors from '../../domain/org/vendors.service.ts';
import * as actions from '../../domain/policy/actions.service.ts';
import * as policies from '../../domain/policy/policies.service.ts';
import * as workflows from '../../domain/policy/workflows.service.ts';
import { withCliDatabase } from '../database.ts';
import { printJson, printTable, progress, reportError } from '../output.ts';

/**
 * `assay <entity> list|show|create|update|deactivate|activate` for the
 * organisation and policy model, through the same services as the API (so the
 * same validation and audit). Fields come from flags, or from --data JSON /
 * --file for nested input such as policy labels.
 */
type FieldType = 'string' | 'list' | 'boolean' | 'int' | 'json';
interface Field {
  key: string;
  type: FieldType;
  help: string;
  required?: boolean;
  createOnly?: boolean;
}

interface EntitySpec {
  name: string;
  idName?: string;
  columns: string[];
  fields: Field[];
  filters: Field[];
  list(trx: Executor, filter: Record<string, unknown>, page: { limit: number; offset: number }): Promise<{ items: object[]; total: number }>;
  get(trx: Executor, id: string): Promise<object>;
  create(trx: Executor, actor: Actor, input: Record<string, unknown>): Promise<object>;
  update(trx: Executor, actor: Actor, id: string, patch: Record<string, unknown>): Promise<object>;
  deactivate?: Record<string, unknown>;
  activate?: Record<string, unknown>;
}

const status: Field = { key: 'status', type: 'string', help: 'active | inactive' };
const q: Field = { key: 'q', type: 'string', help: 'text search' };

/* eslint-disable @typescript-eslint/no-explicit-any -- specs hand CLI-parsed input to typed services, which validate it */
const ENTITIES: EntitySpec[] = [
  {
    name: 'vendor',
    columns: ['id', 'name', 'code', 'isInHouse', 'status', 'siteCount', 'peopleCount'],
    fields: [
      { key: 'name', type: 'string', help: 'vendor name', required: true },
      { key: 'code', type: 'string', help: 'short code, 2-12 letters or digits', required: true },
      { key: 'isInHouse', type: 'boolean', help: 'the in-house team' },
      status,
    ],
    filters: [status, q],
    list: (trx, f, p) => vendors.listVendors(trx, f as any, p),
    get: vendors.getVendor,
    create: (trx, a, i) => vendors.createVendor(trx, a, i as any),
    update: (trx, a, id, p) => vendors.updateVendor(trx, a, id, p as any),
    deactivate: { status: 'inactive' },
    activate: { status: 'active' },
  },
  {
    name: 'site',
    columns: ['id', 'vendorName', 'name', 'countryCode', 'timeZone', 'status', 'teamCount', 'peopleCount'],
    fields: [
      { key: 'vendorId', type: 'string', help: 'vendor id', required: true, createOnly: true },
      { key: 'name', type: 'string', help: 'site name', required: true },
      { key: 'countryCode', type: 'string', help: 'ISO 3166 alpha-2, e.g. PH', required: true },
      { key: 'timeZone', type: 'string', help: 'IANA time zone, e.g. Asia/Manila', required: true },
      status,
    ],
    filters: [{ key: 'vendorId', type: 'string', help: 'vendor id' }, status, q],
    list: (trx, f, p) => sites.listSites(trx, f as any, p),
    get: sites.getSite,
    create: (trx, a, i) => sites.createSite(trx, a, i as any),
    update: (trx, a, id, p) => sites.updateSite(trx, a, id, p as any),
    deactivate: { status: 'inactive' },
    activate: { status: 'active' },
  },
  {
    name: 'team',
    columns: ['id', 'vendorName', 'siteName', 'name', 'workflowName', 'status', 'peopleCount'],
    fields: [
      { key: 'siteId', type: 'string', help: 'site id', required: true, createOnly: true },
      { key: 'name', type: 'string', help: 'team name', required: true },
      { key: 'workflowId', type: 'string', help: 'workflow id' },
      status,
    ],
    filters: [{ key: 'vendorId', type: 'string', help: 'vendor id' }, { key: 'siteId', type: 'string', help: 'site id' }, status, q],
    list: (trx, f, p) => teams.listTeams(trx, f as any, p),
    get: teams.getTeam,
    create: (trx, a, i) => teams.createTeam(trx, a, i as any),
    update: (trx, a, id, p) => teams.updateTeam(trx, a, id, p as any),
    deactivate: { status: 'inactive' },
    activate: { status: 'active' },
  },
  {
    name: 'person',
    columns: ['id', 'fullName', 'jobRole', 'vendorName', 'siteName', 'teamName', 'hireDate', 'languages', 'status'],
    fields: [
      { key: 'siteId', type: 'string', help: 'site id', required: true },
      { key: 'teamId', type: 'string', help: 'team id' },
      { key: 'fullName', type: 'string', help: 'full name', required: true },
      { key: 'email', type: 'string', help: 'work email' },
      { key: 'employeeRef', type: 'string', help: "the vendor's employee id" },
      { key: 'jobRole', type: 'string', help: 'agent | qa_specialist | qa_lead | trainer | manager | policy_sme | analyst', required: true },
      { key: 'hireDate', type: 'string', help: 'YYYY-MM-DD', required: true },
      { key: 'languages', type: 'list', help: 'comma-separated language tags, e.g. en,fil' },
      { key: 'workflowIds', type: 'list', help: 'comma-separated workflow ids (skills)' },
      { key: 'status', type: 'string', help: 'active | on_leave | inactive' },
    ],
    filters: [
      { key: 'vendorId', type: 'string', help: 'vendor id' },
      { key: 'siteId', type: 'string', help: 'site id' },
      { key: 'teamId', type: 'string', help: 'team id' },
      { key: 'jobRole', type: 'string', help: 'job role' },
      { key: 'status', type: 'string', help: 'active | on_leave | inactive' },
      q,
    ],
    list: (trx, f, p) => people.listPeople(trx, f as any, p),
    get: people.getPerson,
    create: (trx, a, i) => people.createPerson(trx, a, { languages: [], workflowIds: [], ...i } as any),
    update: (trx, a, id, p) => people.updatePerson(trx, a, id, p as any),
    deactivate: { status: 'inactive' },
    activate: { status: 'active' },
  },
  {
    name: 'workflow',
    columns: ['id', 'key', 'name', 'kind', 'status', 'policyIds'],
    fields: [
      { key: 'key', type: 'string', help: 'permanent key, e.g. video_moderation', required: true, createOnly: true },
      { key: 'name', type: 'string', help: 'name', required: true },
      { key: 'kind', type: 'string', help: 'moderation | support', required: true },
      { key: 'description', type: 'string', help: 'description' },
      { key: 'policyIds', type: 'list', help: 'comma-separated policy ids' },
      status,
    ],
    filters: [status, q],
    list: (trx, f, p) => workflows.listWorkflows(trx, f as any, p),
    get: workflows.getWorkflow,
    create: (trx, a, i) => workflows.createWorkflow(trx, a, { description: '', policyIds: [], ...i } as any),
    update: (trx, a, id, p) => workflows.updateWorkflow(trx, a, id, p as any),
    deactivate: { status: 'inactive' },
    activate: { status: 'active' },
  },
  {
    name: 'action',
    idName: 'key',
    columns: ['key', 'name', 'status', 'description'],
    fields: [
      { key: 'key', type: 'string', help: 'permanent key, e.g. remove', required: true, createOnly: true },
      { key: 'name', type: 'string', help: 'name', required: true },
      { key: 'description', type: 'string', help: 'description' },
      status,
    ],
    filters: [status, q],
    list: (trx, f, p) => actions.listActions(trx, f as any, p),
    get: actions.getAction,
    create: (trx, a, i) => actions.createAction(trx, a, { description: '', ...i } as any),
    update: (trx, a, key, p) => actions.updateAction(trx, a, key, p as any),
    deactivate: { status: 'inactive' },
    activate: { status: 'active' },
  },
  {
    name: 'policy',
    columns: ['id', 'key', 'name', 'status', 'versionCount'],
    fields: [
      { key: 'key', type: 'string', help: 'permanent key, e.g. hate_speech', required: true, createOnly: true },
      { key: 'name', type: 'string', help: 'name', required: true },
      { key: 'description', type: 'string', help: 'description' },
      { key: 'initialVersion', type: 'json', help: 'JSON {effectiveFrom, summary, labels, allowedActions}', createOnly: true },
      status,
    ],
    filters: [status, q],
    list: (trx, f, p) => policies.listPolicies(trx, f as any, p),
    get: policies.getPolicy,
    create: (trx, a, i) => policies.createPolicy(trx, a, { description: '', ...i } as any),
    update: (trx, a, id, p) => policies.updatePolicy(trx, a, id, p as any),
    deactivate: { status: 'inactive' },
    activate: { status: 'active' },
  },
];
/* eslint-enable @typescript-eslint/no-explicit-any */

const flagName = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function parseValue(field: Field, raw: string): unknown {
  switch (field.type) {
    case 'list':
      return raw === '' ? [] : raw.split(',').map((item) => item.trim()).filter(Boolean);
    case 'int': {
      const value = Number(raw);
      if (!Number.isInteger(value)) throw new AppError('VALIDATION_FAILED', 'Not a whole number.', [{ path: `/${field.key}`, message: `"${raw}" is not a whole number.` }]);
      return value;
    }
    case 'json':
      try {
        return JSON.parse(raw);
      } catch {
        throw new AppError('VALIDATION_FAILED', 'Not valid JSON.', [{ path: `/${field.key}`, message: 'Give valid JSON.' }]);
      }
    case 'boolean':
      return raw === 'true' || raw === 'yes';
    default:
      return raw;
  }
}

function addFieldOptions(command: Command, fields: Field[], forCreate: boolean): Command {
  for (const field of fields) {
    if (!forCreate && field.createOnly) continue;
    const flag = `--${flagName(field.key)}`;
    command.addOption(new Option(field.type === 'boolean' ? `${flag} [yes|no]` : `${flag} <value>`, field.help));
  }
  return command.option('--data <json>', 'fields as a JSON object').option('--file <path>', 'fields from a JSON file');
}

function collectInput(fields: Field[], options: Record<string, unknown>, forCreate: boolean): Record<string, unknown> {
  let input: Record<string, unknown> = {};
  try {
    if (typeof options.file === 'string') input = { ...input, ...JSON.parse(fs.readFileSync(options.file, 'utf8')) };
    if (typeof options.data === 'string') input = { ...input, ...JSON.parse(options.data) };
  } catch (error) {
    throw new AppError('BAD_REQUEST', `Could not read --data/--file as JSON: ${(error as Error).message}`);
  }
  for (const field of fields) {
    const raw = options[field.key];
    if (raw === undefined) continue;
    input[field.key] = raw === true ? true : parseValue(field, String(raw));
  }
  if (forCreate) {
    const missing: FieldIssue[] = fields.filter((f) => f.required && input[f.key] === undefined).map((f) => ({ path: `/${f.key}`, message: 'This field is required.' }));
    if (missing.length) throw new AppError('VALIDATION_FAILED', 'Some required fields are missing.', missing);
  }
  return input;
}

async function run(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

function operator(): Actor {
  return systemActor(`cli:${process.env.USER ?? 'operator'}`);
}

function registerEntity(program: Command, spec: EntitySpec): void {
  const idArg = `<${spec.idName ?? 'id'}>`;
  const entity = program.command(spec.name).description(`Manage ${spec.name === 'person' ? 'people' : spec.name === 'policy' ? 'policies' : `${spec.name}s`}`);

  const list = entity.command('list').option('--json', 'print JSON').option('--limit <n>', 'rows', '100').option('--offset <n>', 'skip rows', '0');
  for (const filter of spec.filters) list.option(`--${flagName(filter.key)} <value>`, filter.help);
  list.action((options: Record<string, unknown>) =>
    run(() =>
      withCliDatabase(async (database) => {
        const filter = Object.fromEntries(spec.filters.filter((f) => options[f.key] !== undefined).map((f) => [f.key, options[f.key]]));
        const page = { limit: Math.min(500, Number(options.limit) || 100), offset: Number(options.offset) || 0 };
        const result = await asSystem(database.db, (trx) => spec.list(trx, filter, page));
        if (options.json) printJson(result);
        else {
          printTable(result.items as Array<Record<string, unknown>>, spec.columns);
          progress(`${result.items.length} of ${result.total}`);
        }
      }),
    ),
  );

  entity.command(`show ${idArg}`).action((id: string) => run(() => withCliDatabase(async (database) => printJson(await asSystem(database.db, (trx) => spec.get(trx, id))))));

  addFieldOptions(entity.command('create'), spec.fields, true).action((options: Record<string, unknown>) =>
    run(() =>
      withCliDatabase(async (database) => {
        const input = collectInput(spec.fields, options, true);
        const created = await asSystem(database.db, (trx) => spec.create(trx, operator(), input));
        progress(`Created ${spec.name}.`);
        printJson(created);
      }),
    ),
  );

  addFieldOptions(entity.command(`update ${idArg}`), spec.fields, false).action((id: string, options: Record<string, unknown>) =>
    run(() =>
      withCliDatabase(async (database) => {
        const patch = collectInput(spec.fields.filter((f) => !f.createOnly), options, false);
        printJson(await asSystem(database.db, (trx) => spec.update(trx, operator(), id, patch)));
      }),
    ),
  );

  for (const [verb, patch] of [['deactivate', spec.deactivate], ['activate', spec.activate]] as const) {
    if (!patch) continue;
    entity.command(`${verb} ${idArg}`).action((id: string) =>
      run(() =>
        withCliDatabase(async (database) => {
          await asSystem(database.db, (trx) => spec.update(trx, operator(), id, patch));
          progress(`${verb === 'deactivate' ? 'Deactivated' : 'Activated'} ${spec.name} ${id}.`);
        }),
      ),
    );
  }
}

export function registerOrganisation(program: Command): void {
  for (const spec of ENTITIES) registerEntity(program, spec);
  program
    .command('policy-version')
    .description('Policy versions are immutable: a change is a new version')
    .command('create <policyId>')
    .requiredOption('--file <path>', 'JSON {effectiveFrom, summary, labels:[{key,name,severity,description}], allowedActions:[...]}')
    .action((policyId: string, options: { file: string }) =>
      run(() =>
        withCliDatabase(async (database) => {
          let input: unknown;
          try {
            input = JSON.parse(fs.readFileSync(options.file, 'utf8'));
          } catch (error) {
            throw new AppError('BAD_REQUEST', `Could not read ${options.file} as JSON: ${(error as Error).message}`);
          }
          printJson(await asSystem(database.db, (trx) => policies.createVersion(trx, operator(), policyId, input as Parameters<typeof policies.createVersion>[3])));
        }),
      ),
    );
}
