import { describe, expect, it } from 'vitest';
import type { Static, TSchema } from '@fastify/type-provider-typebox';
import * as certificationRoutes from '../../src/api/routes/training-certification.routes.ts';
import * as contentRoutes from '../../src/api/routes/training-content.routes.ts';
import * as enrolmentRoutes from '../../src/api/routes/training-enrolment.routes.ts';
import * as learningRoutes from '../../src/api/routes/training-learning.routes.ts';
import type { AssessmentView, ItemAnalysis, ItemView } from '../../src/domain/training/assessment-builder.service.ts';
import type { Award, CertifiedAnswer } from '../../src/domain/training/certification.service.ts';
import type { Course, CourseVersionDetail, ModuleView, Program } from '../../src/domain/training/content.service.ts';
import type { CompletionRow, Enrolment, EnrolmentRule, getCohort } from '../../src/domain/training/enrolment.service.ts';
import type { AttemptView, MyEnrolment } from '../../src/domain/training/learning.service.ts';
import type { AssessmentSummary, Certification, CertificationCounts, Cohort } from '../../src/domain/training/training.types.ts';

/**
 * Fastify serialises a response through its schema and drops every property
 * the schema does not name, so each training response schema must describe
 * its domain type exactly. These checks run in the type checker (`npx tsc`):
 * the schema's static type and the domain type must be assignable both ways
 * (a field missing on either side, or a nullability that differs, fails).
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <S extends TSchema, T>(_schema: S, ok: Same<Static<S>, T>) => ok;

describe('training response schemas', () => {
  it('mirror the domain types field for field', () => {
    const checks = [
      same<typeof certificationRoutes.Certification, Certification>(certificationRoutes.Certification, true),
      same<typeof certificationRoutes.Award, Award>(certificationRoutes.Award, true),
      same<typeof certificationRoutes.CertificationCounts, CertificationCounts>(certificationRoutes.CertificationCounts, true),
      same<typeof certificationRoutes.CertifiedAnswer, CertifiedAnswer>(certificationRoutes.CertifiedAnswer, true),
      same<typeof enrolmentRoutes.Enrolment, Enrolment>(enrolmentRoutes.Enrolment, true),
      same<typeof enrolmentRoutes.CompletionRow, CompletionRow>(enrolmentRoutes.CompletionRow, true),
      same<typeof enrolmentRoutes.Cohort, Cohort>(enrolmentRoutes.Cohort, true),
      same<typeof enrolmentRoutes.EnrolmentRule, EnrolmentRule>(enrolmentRoutes.EnrolmentRule, true),
      same<typeof contentRoutes.Program, Program>(contentRoutes.Program, true),
      same<typeof contentRoutes.Course, Course>(contentRoutes.Course, true),
      same<typeof contentRoutes.ItemView, ItemView>(contentRoutes.ItemView, true),
      same<typeof contentRoutes.AssessmentView, AssessmentView>(contentRoutes.AssessmentView, true),
      same<typeof contentRoutes.CourseVersionDetail, CourseVersionDetail>(contentRoutes.CourseVersionDetail, true),
      same<typeof contentRoutes.ItemAnalysis, ItemAnalysis>(contentRoutes.ItemAnalysis, true),
      same<typeof learningRoutes.ModuleView, ModuleView>(learningRoutes.ModuleView, true),
      same<typeof learningRoutes.AssessmentSummary, AssessmentSummary>(learningRoutes.AssessmentSummary, true),
      same<typeof learningRoutes.MyEnrolment, MyEnrolment>(learningRoutes.MyEnrolment, true),
      same<typeof learningRoutes.AttemptView, AttemptView>(learningRoutes.AttemptView, true),
      same<typeof enrolmentRoutes.CohortWithMembers, Awaited<ReturnType<typeof getCohort>>>(enrolmentRoutes.CohortWithMembers, true),
    ];
    expect(checks.every(Boolean)).toBe(true);
  });
});
