import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { digest } from '../../src/domain/auth/secrets.ts';
import type { MetricGroup, MetricsResponse } from '../../src/domain/metrics/metrics.types.ts';
import type { RatioEstimate } from '../../src/domain/stats/ratio-estimation.ts';
import { createDemoTestDatabase, type TestDatabase } from './test-database.ts';
import { buildTestServer, tokenClient } from './test-app.ts';

/**
 * The world of the metrics API tests: the demo organisation (seed 11, 2% of its
 * decisions; real PostgreSQL, real rollups), a server, an administrator and
 * Coralpoint's vendor manager, and the reviewed items read directly (as the
 * table owner) for computing every figure independently.
 */
export const FROM = '2026-08-28';
export const TO = '2026-11-25';
export const RANGE = `from=${FROM}&to=${TO}`;
export const TOLERANCE = 1e-9;
export const METRICS_DEMO = { seed: 11, today: '2026-11-25', now: new Date('2026-11-25T15:30:00Z'), decisionScale: 0.02 } as const;

export type Client = ReturnType<typeof tokenClient>;

export interface Item {
  reviewId: string;
  vendorId: string;
  agentId: string;
  correct: boolean;
  score: number;
  agentLabels: string[];
  qaLabels: string[];
  stratum: string;
  w: number;
}

export interface MetricsWorld {
  database: TestDatabase;
  app: FastifyInstance;
  asAdmin: Client;
  asVendorManager: Client;
  coralpoint: { id: string; name: string };
  /** Every primary review of the range (gold and double reviews never feed the figures, migration 0010) with its weight and design stratum. */
  reviewedItems(): Promise<Item[]>;
  tokenFor(userId: string): Promise<Client>;
}

/** Registers the file's beforeAll/afterAll; the world's fields are set once beforeAll has run. */
export function useMetricsWorld(): MetricsWorld {
  const world = {} as MetricsWorld;
  beforeAll(async () => {
    world.database = await createDemoTestDatabase(METRICS_DEMO);
    world.app = await buildTestServer(world.database.db);
    world.tokenFor = async (userId) => {
      const token = `assay_${randomBytes(24).toString('base64url')}`;
      await world.database.db
        .insertInto('api_tokens')
        .values({ user_id: userId, name: `metrics ${randomBytes(3).toString('hex')}`, token_hash: digest(token), prefix: token.slice(0, 12) })
        .execute();
      return tokenClient(world.app, token);
    };
    const demoUser = async (email: string) => world.tokenFor((await world.database.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id);
    world.asAdmin = await demoUser('admin@assay.demo');
    world.asVendorManager = await demoUser('vm.coralpoint@assay.demo');
    world.coralpoint = await world.database.db.selectFrom('vendors').select(['id', 'name']).where('name', 'like', 'Coralpoint%').executeTakeFirstOrThrow();
    world.reviewedItems = () => reviewedItems(world.database);
  });
  afterAll(async () => {
    await world.app?.close();
    await world.database?.drop();
  });
  return world;
}

async function reviewedItems(database: TestDatabase): Promise<Item[]> {
  const { rows } = await sql<{ review_id: string; vendor_id: string; agent_id: string; correct: boolean; score: number; labels: string[]; qa_labels: string[]; stratum: string; pi: number | null }>`
    SELECT r.id AS review_id, r.vendor_id, r.agent_id, r.correct, r.score::float8 AS score, d.labels, r.qa_labels, s.inclusion_probability AS pi,
           r.workflow_id::text || '|' || (d.decided_at AT TIME ZONE 'UTC')::date::text || '|' ||
             coalesce(s.plan_version_id::text || ':' || s.stratum_key, 'unsampled') AS stratum
    FROM reviews r JOIN decisions d ON d.id = r.decision_id LEFT JOIN qa_samples s ON s.decision_id = r.decision_id
    WHERE (d.decided_at AT TIME ZONE 'UTC')::date BETWEEN ${FROM}::date AND ${TO}::date
      AND r.purpose = 'primary'`.execute(database.db);
  return rows.map((r) => ({
    reviewId: r.review_id,
    vendorId: r.vendor_id,
    agentId: r.agent_id,
    correct: r.correct,
    score: r.score,
    agentLabels: r.labels,
    qaLabels: r.qa_labels,
    stratum: r.stratum,
    w: 1 / (r.pi ?? 1),
  }));
}

/** GET /api/metrics over the world's range; expects 200. */
export async function metrics(client: Client, query: string): Promise<MetricsResponse> {
  const response = await client('GET', `/api/metrics?${query}&${RANGE}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as MetricsResponse;
}

export async function json<T>(client: Client, url: string): Promise<T> {
  const response = await client('GET', url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as T;
}

export function expectSameEstimate(
  actual: { value: number | null; lower: number | null; upper: number | null; se: number | null; n: number; N: number },
  expected: RatioEstimate,
  label: string,
) {
  expect(expected.estimate, label).not.toBeNull();
  expect(actual.value!, `${label} value`).toBeCloseTo(expected.estimate!, 9);
  expect(Math.abs(actual.value! - expected.estimate!), `${label} value`).toBeLessThan(TOLERANCE);
  expect(Math.abs(actual.lower! - expected.lower!), `${label} lower`).toBeLessThan(TOLERANCE);
  expect(Math.abs(actual.upper! - expected.upper!), `${label} upper`).toBeLessThan(TOLERANCE);
  expect(Math.abs(actual.se! - expected.se!), `${label} se`).toBeLessThan(TOLERANCE);
  expect(actual.n, `${label} n`).toBe(expected.n);
  expect(Math.abs(actual.N - expected.estimatedPopulation) / expected.estimatedPopulation, `${label} N`).toBeLessThan(TOLERANCE);
}

export const groupOf = (body: MetricsResponse, dimension: 'vendor' | 'label' | 'agent', id: string): MetricGroup | undefined =>
  body.groups.find((g) => g.key[dimension] === id);
