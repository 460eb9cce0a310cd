import { createHash } from 'node:crypto';
import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/training-content.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, notFound } from '../errors.ts';
import { checkAttachment } from './content.rules.ts';
import { editableDraft, editableModule, type ModuleView } from './content.service.ts';

/**
 * Module attachments: stored in PostgreSQL, size-limited, their declared
 * type checked against their first bytes (content.rules.ts). Added and
 * removed only on drafts; downloaded by anyone who can see the course.
 */

export async function addAttachment(
  trx: Executor,
  actor: Actor,
  moduleId: string,
  input: { fileName: string; contentType: string; contentBase64: string },
): Promise<ModuleView['attachments'][number]> {
  const m = await editableModule(trx, actor, moduleId);
  const content = Buffer.from(input.contentBase64, 'base64');
  const issues = checkAttachment(input.fileName, input.contentType, content);
  if (issues.length > 0) throw new AppError('VALIDATION_FAILED', 'The attachment was refused.', issues);
  const sha256 = createHash('sha256').update(content).digest('hex');
  const { id } = await repo.insertAttachment(trx, { moduleId, fileName: input.fileName.trim(), contentType: input.contentType, content, sha256, createdBy: actor.userId });
  await audit(trx, actor, { action: 'training.attachment.create', entityType: 'course_module_attachment', entityId: id, vendorId: m.vendor_id, details: { moduleId, fileName: input.fileName, contentType: input.contentType, sizeBytes: content.length, sha256 } });
  return { id, fileName: input.fileName.trim(), contentType: input.contentType, sizeBytes: content.length };
}

export async function deleteAttachment(trx: Executor, actor: Actor, attachmentId: string): Promise<void> {
  const a = await repo.findAttachment(trx, attachmentId);
  if (!a) throw notFound('Attachment');
  const v = await editableDraft(trx, actor, a.course_version_id);
  await repo.deleteAttachment(trx, attachmentId);
  await audit(trx, actor, { action: 'training.attachment.delete', entityType: 'course_module_attachment', entityId: attachmentId, vendorId: v.vendor_id, details: { fileName: a.file_name } });
}

/** An attachment's bytes, for download by anyone who can see its course (learners included). */
export async function getAttachment(trx: Executor, attachmentId: string) {
  const a = await repo.findAttachment(trx, attachmentId);
  if (!a) throw notFound('Attachment');
  return { fileName: a.file_name, contentType: a.content_type, content: a.content, sha256: a.sha256 };
}
