import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/training-content.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { Issues } from '../errors.ts';
import { programMisfit } from './content.rules.ts';
import { assertCanEdit, getCourse, type Course } from './content.service.ts';

/**
 * Moving an existing course into a program phase, to another one, or out of
 * its program. The program must train the course's workflow, and a course
 * cannot sit in another vendor's program (its learners would not see the
 * path it belongs to). Enrolments are untouched: a course's place in a
 * program is how it is organised, not what anyone was assigned.
 */
export interface CoursePlacement {
  /** null: not in any program (the phase must then be null too); omitted: the course's current program. */
  programId?: string | null;
  /** null or omitted: in the program without a phase. */
  programPhaseId?: string | null;
}

export async function placeCourse(trx: Executor, actor: Actor, courseId: string, input: CoursePlacement): Promise<Course> {
  const course = await getCourse(trx, courseId);
  assertCanEdit(actor, course.vendorId);
  const issues = new Issues();
  const phaseId = input.programPhaseId ?? null;
  const programId = input.programId === undefined ? course.programId : input.programId;
  if (programId === null) {
    issues.check(phaseId === null, '/programPhaseId', 'A phase belongs to a program: choose the program too, or no phase.');
  } else {
    const program = await repo.findProgram(trx, programId);
    if (!program) issues.add('/programId', 'No such program.');
    else {
      const misfit = programMisfit(
        { name: program.name, workflowId: program.workflow_id, workflowName: program.workflow_name, vendorId: program.vendor_id, vendorName: program.vendor_name, status: program.status },
        course,
      );
      if (misfit) issues.add('/programId', misfit);
      if (phaseId !== null) {
        const phases = await repo.programPhases(trx, [program.id]);
        issues.check(phases.some((p) => p.id === phaseId), '/programPhaseId', `No such phase in "${program.name}".`);
      }
    }
  }
  issues.throwIfAny();
  const to = { programId, programPhaseId: programId === null ? null : phaseId };
  if (to.programId !== course.programId || to.programPhaseId !== course.programPhaseId) {
    await repo.setCoursePlacement(trx, courseId, to);
    await audit(trx, actor, {
      action: 'training.course.move',
      entityType: 'course',
      entityId: courseId,
      vendorId: course.vendorId,
      details: { from: { programId: course.programId, programPhaseId: course.programPhaseId }, to },
    });
  }
  return getCourse(trx, courseId);
}
