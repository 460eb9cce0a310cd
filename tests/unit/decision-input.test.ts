import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, checkDecision, decisionId, payloadHash } from '../../src/domain/decisions/decision-input.ts';

const valid = {
  source: 'modtool',
  external_id: 'v-1',
  workflow: 'video_moderation',
  agent: 'CPS-000001',
  decided_at: '2026-10-01T14:03:22+08:00',
  labels: ['hate.slur'],
  action: 'remove',
  handle_time_ms: 41_000,
  content: { kind: 'video', url: 'https://media.example/v/1.mp4', language: 'en' },
  model_score: 0.93,
  metadata: { queue: 'reported' },
};

function issuesOf(raw: unknown): string[] {
  const result = checkDecision(raw);
  return result.ok ? [] : result.issues.map((i) => i.field);
}

describe('checkDecision', () => {
  it('accepts a valid decision and normalises it', () => {
    const result = checkDecision({ ...valid, labels: ['b.x', 'a.y'] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.decision.input.labels).toEqual(['a.y', 'b.x']);
    expect(result.decision.decidedAt.toISOString()).toBe('2026-10-01T06:03:22.000Z');
  });

  it('names every bad field', () => {
    expect(issuesOf({ ...valid, decided_at: '2026-10-01 14:03' })).toEqual(['decided_at']);
    expect(issuesOf({ ...valid, decided_at: '2026-10-01T14:03:22' })).toEqual(['decided_at']);
    expect(issuesOf({ ...valid, decided_at: '2999-01-01T00:00:00Z' })).toEqual(['decided_at']);
    expect(issuesOf({ ...valid, labels: 'hate.slur' })).toEqual(['labels']);
    expect(issuesOf({ ...valid, labels: ['a', 'a'] })).toEqual(['labels']);
    expect(issuesOf({ ...valid, handle_time_ms: 1.5 })).toEqual(['handle_time_ms']);
    expect(issuesOf({ ...valid, model_score: 2 })).toEqual(['model_score']);
    expect(issuesOf({ ...valid, content: { kind: 'hologram', url: 'ftp://x', language: 'english!' } }).sort()).toEqual(['content.kind', 'content.language', 'content.url']);
    expect(issuesOf({ ...valid, content: { kind: 'video' } })).toEqual(['content']);
    expect(issuesOf({ ...valid, extra: 1 })).toEqual(['extra']);
    expect(issuesOf({ ...valid, source: undefined, agent: 7 }).sort()).toEqual(['agent', 'source']);
    expect(issuesOf([valid])).toEqual(['']);
  });

  it('gives the same payload for the same decision however it is spelled, and another for any change', () => {
    const a = checkDecision(valid);
    // Keys in another order, the instant in another offset.
    const b = checkDecision({ ...Object.fromEntries(Object.entries(valid).reverse()), decided_at: '2026-10-01T06:03:22Z' });
    const c = checkDecision({ ...valid, handle_time_ms: 41_001 });
    if (!a.ok || !b.ok || !c.ok) throw new Error('expected valid');
    expect(payloadHash(a.decision.canonical)).toBe(payloadHash(b.decision.canonical));
    expect(payloadHash(a.decision.canonical)).not.toBe(payloadHash(c.decision.canonical));
  });

  it('builds the canonical payload exactly as canonicalJson of the normalised record (property)', () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.array(fc.stringMatching(/^[a-z]{1,8}\.[a-z]{1,8}$/), { maxLength: 4 }).map((l) => [...new Set(l)]),
        fc.option(fc.string({ maxLength: 40 }), { nil: null }),
        fc.dictionary(fc.string({ maxLength: 8 }), json, { maxKeys: 5 }),
        fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
        (externalId, labels, text, metadata, score) => {
          const result = checkDecision({ ...valid, external_id: externalId, labels, content: { kind: 'comment', text: text ?? 'x', language: 'en' }, metadata, model_score: score });
          if (!result.ok) return;
          const { input, decidedAt, canonical } = result.decision;
          expect(canonical).toBe(canonicalJson({ ...input, decided_at: decidedAt.toISOString() }));
          expect(() => JSON.parse(canonical)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('decisionId', () => {
  it('is a version-5 layout uuid that depends only on source and external id', () => {
    const id = decisionId('modtool', 'v-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(decisionId('modtool', 'v-1')).toBe(id);
    expect(decisionId('helpdesk', 'v-1')).not.toBe(id);
    // The separator keeps ('ab', 'c') and ('a', 'bc') apart.
    expect(decisionId('ab', 'c')).not.toBe(decisionId('a', 'bc'));
  });
});
