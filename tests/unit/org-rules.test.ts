import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Issues } from '../../src/domain/errors.ts';
import { canonicalLanguage, checkHireDate, checkLanguages, isIsoDate, isValidCountryCode, isValidTimeZone, tenureDays } from '../../src/domain/org/org.rules.ts';
import { passwordProblem } from '../../src/domain/auth/passwords.ts';
import { changedFields } from '../../src/domain/audit/changes.ts';
import { describeDatabaseError } from '../../src/db/errors.ts';

describe('organisation rules', () => {
  it('accepts IANA time zones and refuses made-up ones', () => {
    for (const zone of ['Asia/Manila', 'Europe/Dublin', 'America/Bogota', 'Africa/Nairobi', 'UTC', 'Asia/Kolkata']) expect(isValidTimeZone(zone), zone).toBe(true);
    for (const zone of ['Mars/Olympus', 'GMT+25', '', 'Manila']) expect(isValidTimeZone(zone), zone).toBe(false);
  });

  it('accepts ISO 3166 country codes and refuses user-assigned and unknown ones', () => {
    for (const code of ['PH', 'IN', 'KE', 'IE', 'US', 'PT', 'CO']) expect(isValidCountryCode(code), code).toBe(true);
    for (const code of ['ZZ', 'XX', 'AA', 'QZ', 'ph', 'PHL', '']) expect(isValidCountryCode(code), code).toBe(false);
  });

  it('canonicalises language tags and reports the bad one by index', () => {
    expect(canonicalLanguage('pt-br')).toBe('pt-BR');
    expect(canonicalLanguage('EN')).toBe('en');
    const issues = new Issues();
    expect(checkLanguages(issues, '/languages', ['en', 'not a tag!', 'en', 'sw'])).toEqual(['en', 'sw']);
    expect(() => issues.throwIfAny()).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: '/languages/1' })] }));
  });

  it('checks hire dates as calendar dates within sane bounds', () => {
    const today = new Date('2026-11-25T12:00:00Z');
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    for (const bad of ['2026-13-01', '1900-01-01', '2030-01-01', '25/11/2026']) {
      const issues = new Issues();
      checkHireDate(issues, '/hireDate', bad, today);
      expect(issues.any, bad).toBe(true);
    }
    expect(tenureDays('2026-11-01', today)).toBe(24);
    expect(tenureDays('2027-01-01', today)).toBe(0);
  });

  it('tenure never goes negative and grows one a day', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }), fc.integer({ min: 0, max: 5000 }), (hired, days) => {
        const hireDate = hired.toISOString().slice(0, 10);
        const base = new Date(`${hireDate}T00:00:00Z`);
        expect(tenureDays(hireDate, new Date(base.getTime() + days * 86_400_000))).toBe(days);
      }),
    );
  });
});

describe('password policy', () => {
  it('asks for length, not composition rules', () => {
    expect(passwordProblem('short')).toMatch(/12/);
    expect(passwordProblem('aaaaaaaaaaaaaaaa')).toMatch(/repeat/);
    expect(passwordProblem('maria.santos-2026!', 'maria.santos@example.com')).toMatch(/email/);
    expect(passwordProblem('correct horse battery staple')).toBeNull();
  });
});

describe('audit change sets', () => {
  it('lists exactly the fields whose value changed', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.oneof(fc.string(), fc.integer(), fc.boolean())), fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.oneof(fc.string(), fc.integer(), fc.boolean())), (before, after) => {
        const changes = changedFields(before, after);
        for (const [field, value] of Object.entries(after)) {
          const differs = JSON.stringify(before[field]) !== JSON.stringify(value);
          expect(field in changes, field).toBe(differs);
          if (differs) expect(changes[field]).toEqual([before[field] ?? null, value]);
        }
        expect(Object.keys(changes).every((field) => field in after)).toBe(true);
      }),
    );
  });
});

describe('database errors for people', () => {
  it('turns a known unique violation into a conflict on the right field', () => {
    expect(describeDatabaseError({ code: '23505', constraint: 'people_vendor_email_key' })).toEqual({
      code: 'CONFLICT',
      message: 'Someone at this vendor already has this email.',
      details: [{ path: '/email', message: 'Someone at this vendor already has this email.' }],
    });
  });

  it('answers a row-level security refusal without revealing the row', () => {
    expect(describeDatabaseError({ code: '42501', message: 'new row violates row-level security policy for table "people"' })?.code).toBe('FORBIDDEN');
    expect(describeDatabaseError({ code: '22P02' })?.code).toBe('NOT_FOUND');
  });

  it('leaves unexpected errors alone (they are bugs: 500)', () => {
    expect(describeDatabaseError(new Error('boom'))).toBeNull();
    expect(describeDatabaseError({ code: '42P01' })).toBeNull();
  });
});
