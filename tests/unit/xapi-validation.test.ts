import { describe, expect, it } from 'vitest';
import { isDuration, isLanguageTag, isMbox, isTimestamp, parseTimestamp } from '../../src/domain/xapi/xapi-primitives.rules.ts';
import { statementIssues, VOIDED_VERB } from '../../src/domain/xapi/xapi-validation.rules.ts';

const valid = () => ({
  actor: { objectType: 'Agent', name: 'Ana', mbox: 'mailto:ana@example.com' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
  object: {
    id: 'https://lms.example.com/courses/hate-speech-101',
    definition: { name: { 'en-US': 'Hate speech 101' }, type: 'http://adlnet.gov/expapi/activities/course' },
  },
});

function paths(statement: unknown, version: '1.0.3' | '2.0.0' = '1.0.3'): string[] {
  return statementIssues(statement, version).map((i) => i.path);
}

describe('xAPI primitives', () => {
  it('accepts RFC 5646 language tags and refuses malformed ones', () => {
    for (const tag of ['en', 'en-US', 'zh-Hant', 'sr-Latn-RS', 'cmn', 'es-419', 'de-CH-1901', 'x-private', 'en-a-bbb-x-a-ccc']) expect(isLanguageTag(tag), tag).toBe(true);
    for (const tag of ['something', 's-something', 'en-something-AU', 'zh-z-aaa-z-bbb-c-ccc', 'en_US', '', 'en-', 'e']) expect(isLanguageTag(tag), tag).toBe(false);
  });

  it('accepts ISO 8601 durations with a fraction only on the last component', () => {
    for (const d of ['PT1H30M', 'P1DT12H36M0.12S', 'P3W', 'PT0.5S', 'P1Y2M3D', 'PT4.5M']) expect(isDuration(d), d).toBe(true);
    for (const d of ['P', 'PT', '1H', 'PT1.5H30M', 'P1W2D', 'PT-1S', 'P1.5Y2M']) expect(isDuration(d), d).toBe(false);
  });

  it('requires a time zone on timestamps and refuses the unknown offset -00:00', () => {
    expect(isTimestamp('2026-12-04T10:00:00Z')).toBe(true);
    expect(isTimestamp('2026-12-04T10:00:00.123+01:00')).toBe(true);
    expect(parseTimestamp('2023-05-04T12:00:00-05:00')?.toISOString()).toBe('2023-05-04T17:00:00.000Z');
    expect(isTimestamp('2026-12-04T10:00:00')).toBe(false);
    expect(isTimestamp('2026-12-04T10:00:00-00:00')).toBe(false);
    expect(isTimestamp('2026-02-30T10:00:00Z')).toBe(false);
  });

  it('recognises mailto IRIs only', () => {
    expect(isMbox('mailto:ana@example.com')).toBe(true);
    expect(isMbox('ana@example.com')).toBe(false);
  });
});

describe('statement validation', () => {
  it('accepts a complete, valid statement', () => {
    const statement = {
      ...valid(),
      id: '8f0e1c1a-4b7d-4c1e-9a55-1f2d3c4b5a69',
      result: { score: { scaled: 0.8, raw: 8, min: 0, max: 10 }, success: true, completion: true, duration: 'PT25M' },
      context: {
        registration: '0b7c36e4-1a5c-4e79-8d5e-3f5c0e7b9a10',
        instructor: { account: { homePage: 'https://lms.example.com', name: 'trainer-7' } },
        contextActivities: { parent: [{ id: 'https://lms.example.com/programmes/onboarding' }] },
        platform: 'Vendor LMS',
        language: 'en-GB',
      },
      timestamp: '2026-12-04T10:00:00Z',
    };
    expect(statementIssues(statement, '1.0.3')).toEqual([]);
  });

  it('names each problem with a JSON pointer into the statement', () => {
    const statement = valid() as Record<string, any>;
    statement.object.definition.name = { en_GB: 'Hate speech 101' };
    statement.actor = { mbox: 'ana@example.com' };
    statement.result = { score: { scaled: 1.5 }, duration: '25 minutes' };
    expect(paths(statement)).toEqual(expect.arrayContaining(['/actor/mbox', '/object/definition/name/en_GB', '/result/score/scaled', '/result/duration']));
  });

  it('requires actor, verb and object, and refuses unknown or null properties', () => {
    expect(paths({})).toEqual(['/actor', '/verb', '/object']);
    expect(paths({ ...valid(), Actor: valid().actor })).toContain('/Actor');
    expect(paths({ ...valid(), result: { success: null } })).toEqual(['/result/success']);
  });

  it('requires exactly one identifier on an agent', () => {
    expect(paths({ ...valid(), actor: { name: 'nobody' } })).toEqual(['/actor']);
    expect(paths({ ...valid(), actor: { mbox: 'mailto:a@example.com', openid: 'https://id.example.com/a' } })).toEqual(['/actor']);
    expect(paths({ ...valid(), actor: { account: { homePage: 'https://lms.example.com' } } })).toEqual(['/actor/account/name']);
  });

  it('requires an anonymous group to list its members, and members to be agents', () => {
    expect(paths({ ...valid(), actor: { objectType: 'Group', name: 'Team' } })).toEqual(['/actor/member']);
    expect(paths({ ...valid(), actor: { objectType: 'Group', member: [{ objectType: 'Group', mbox: 'mailto:g@example.com' }] } })).toEqual(['/actor/member/0']);
  });

  it('checks score ranges against each other', () => {
    expect(paths({ ...valid(), result: { score: { raw: 11, min: 0, max: 10 } } })).toEqual(['/result/score/raw']);
    expect(paths({ ...valid(), result: { score: { min: 5, max: 5 } } })).toEqual(['/result/score/max']);
  });

  it('allows revision and platform only when the object is an activity', () => {
    const aboutAgent = { ...valid(), object: { objectType: 'Agent', mbox: 'mailto:b@example.com' }, context: { revision: '2', platform: 'LMS' } };
    expect(paths(aboutAgent)).toEqual(['/context/revision', '/context/platform']);
  });

  it('refuses a SubStatement inside a SubStatement and LRS-only properties in a SubStatement', () => {
    const inner = { objectType: 'SubStatement', ...valid() };
    expect(paths({ ...valid(), object: { objectType: 'SubStatement', ...valid(), object: inner } })).toEqual(['/object/object/objectType']);
    expect(paths({ ...valid(), object: { ...inner, id: '8f0e1c1a-4b7d-4c1e-9a55-1f2d3c4b5a69' } })).toEqual(['/object/id']);
  });

  it('requires a voiding statement to target a StatementRef', () => {
    const voiding = { ...valid(), verb: { id: VOIDED_VERB } };
    expect(paths(voiding)).toEqual(['/object']);
    expect(paths({ ...voiding, object: { objectType: 'StatementRef', id: '8f0e1c1a-4b7d-4c1e-9a55-1f2d3c4b5a69' } })).toEqual([]);
  });

  it('checks interaction components against the interaction type', () => {
    const object = { id: 'https://lms.example.com/q/1', definition: { interactionType: 'true-false', choices: [{ id: 'a' }] } };
    expect(paths({ ...valid(), object })).toEqual(['/object/definition/choices']);
    const choice = { id: 'https://lms.example.com/q/2', definition: { interactionType: 'choice', choices: [{ id: 'a' }, { id: 'a' }] } };
    expect(paths({ ...valid(), object: choice })).toEqual(['/object/definition/choices/1/id']);
  });

  it('accepts 2.0.0 context agents and versions only when speaking 2.0.0', () => {
    const statement = {
      ...valid(),
      version: '2.0.0',
      context: { contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'mailto:qa@example.com' }, relevantTypes: ['https://assay.example/roles/reviewer'] }] },
    };
    expect(paths(statement, '2.0.0')).toEqual([]);
    expect(paths(statement, '1.0.3')).toEqual(['/context/contextAgents', '/version']);
  });

  it('requires a group authority to be an anonymous pair', () => {
    const member = (n: number) => ({ mbox: `mailto:m${n}@example.com` });
    expect(paths({ ...valid(), authority: { objectType: 'Group', member: [member(1), member(2)] } })).toEqual([]);
    expect(paths({ ...valid(), authority: { objectType: 'Group', mbox: 'mailto:g@example.com', member: [member(1), member(2)] } })).toEqual(['/authority']);
    expect(paths({ ...valid(), authority: { objectType: 'Group', member: [member(1)] } })).toEqual(['/authority/member']);
  });

  it('prefixes paths with the statement index in a batch', () => {
    expect(statementIssues({ verb: valid().verb, object: valid().object }, '1.0.3', '/3').map((i) => i.path)).toEqual(['/3/actor']);
  });
});
