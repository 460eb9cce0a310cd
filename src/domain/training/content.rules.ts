import type { FieldIssue } from '../errors.ts';

/**
 * Course content, pure: attachment checks (size, declared type against the
 * file's first bytes) and policy excerpts (a quote must really be in the
 * policy version's text).
 */

/** Attachments travel base64-encoded in JSON under the server's 5 MiB body limit. */
export const MAX_ATTACHMENT_BYTES = 3 * 1024 * 1024;

const SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => b.subarray(0, 4).toString('latin1') === 'GIF8',
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  // Text must be valid UTF-8 without NUL bytes.
  'text/plain': isText,
  'text/csv': isText,
  'text/markdown': isText,
};

export const ALLOWED_ATTACHMENT_TYPES = Object.keys(SIGNATURES);

function isText(b: Buffer): boolean {
  if (b.includes(0)) return false;
  return Buffer.from(b.toString('utf8'), 'utf8').equals(b);
}

export function checkAttachment(fileName: string, contentType: string, content: Buffer): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const name = fileName.trim();
  if (name.length === 0 || name.length > 200) issues.push({ path: '/fileName', message: 'Give a file name of 1 to 200 characters.' });
  if (/[\\/\u0000-\u001f]/.test(name)) issues.push({ path: '/fileName', message: 'A file name cannot contain slashes or control characters.' });
  const check = SIGNATURES[contentType];
  if (!check) {
    issues.push({ path: '/contentType', message: `Attach PDF, PNG, JPEG, GIF, WebP, plain text, CSV or Markdown files (got ${contentType}).` });
  } else if (content.length > 0 && !check(content)) {
    issues.push({ path: '/content', message: `The file's content is not ${contentType}.` });
  }
  if (content.length === 0) issues.push({ path: '/content', message: 'The file is empty.' });
  if (content.length > MAX_ATTACHMENT_BYTES) issues.push({ path: '/content', message: 'Attachments are limited to 3 MiB.' });
  return issues;
}

/** Whitespace-insensitive comparison, so a quote copied across line breaks still matches. */
export function normaliseText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The text an excerpt may quote: the version's summary, then each label as "name: description". */
export function policyVersionText(summary: string, labels: ReadonlyArray<{ name: string; description: string }>): string {
  return [summary, ...labels.map((l) => `${l.name}: ${l.description}`)].join('\n');
}

export function quoteIsInText(quote: string, text: string): boolean {
  const q = normaliseText(quote).toLowerCase();
  return q.length > 0 && normaliseText(text).toLowerCase().includes(q);
}

/**
 * Why a course cannot sit in a program, or null when it can: the program must
 * train the course's workflow, be active, and be the organisation's or the
 * course's own vendor's (another vendor's learners would not see the path).
 */
export function programMisfit(
  program: { name: string; workflowId: string; workflowName: string; vendorId: string | null; vendorName: string | null; status: string },
  course: { workflowId: string; workflowName: string; vendorId: string | null; vendorName: string | null },
): string | null {
  if (program.workflowId !== course.workflowId) return `"${program.name}" trains ${program.workflowName}; this course is for ${course.workflowName}.`;
  if (program.vendorId !== null && program.vendorId !== course.vendorId) {
    return `"${program.name}" belongs to ${program.vendorName ?? 'one vendor'}; a course for ${course.vendorName ?? 'the whole organisation'} cannot join it.`;
  }
  if (program.status !== 'active') return `"${program.name}" is retired.`;
  return null;
}
