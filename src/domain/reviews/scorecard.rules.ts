import type { FieldIssue } from '../errors.ts';
import { ERROR_TYPES, QUESTION_KINDS, type ScorecardDefinition } from './scorecard.types.ts';

/**
 * Validating a scorecard definition, pure. Every problem is reported at a
 * JSON pointer under /definition/..., so the editor can show it next to the
 * field. Keys must be stable lower snake case: reviews, disputes and metrics
 * refer to questions and root causes by key across versions.
 */

const KEY = /^[a-z][a-z0-9_]{0,49}$/;
const KEY_MESSAGE = 'Use lower snake case: a letter, then letters, digits or _ (at most 50).';

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.trim().length >= 1 && value.length <= max;
}

function validNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Checks a definition as sent by a client (so nothing about its shape is assumed). */
export function validateScorecardDefinition(input: unknown, base = '/definition'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path: `${base}${path}`, message });
  if (!isObject(input)) {
    add('', 'A scorecard definition is an object with sections, rootCauses, commentRequiredOnFail and passMark.');
    return issues;
  }
  if (!(validNumber(input.passMark) && input.passMark >= 0 && input.passMark <= 100)) add('/passMark', 'A pass mark from 0 to 100.');
  if (typeof input.commentRequiredOnFail !== 'boolean') add('/commentRequiredOnFail', 'Say whether a failed question needs a comment (true or false).');

  const rootCauses = Array.isArray(input.rootCauses) ? input.rootCauses : null;
  if (!rootCauses) add('/rootCauses', 'A list of root-cause categories (it may be empty).');
  else {
    if (rootCauses.length > 30) add('/rootCauses', 'At most 30 root-cause categories.');
    const seen = new Set<string>();
    rootCauses.forEach((cause: unknown, i) => {
      const path = `/rootCauses/${i}`;
      if (!isObject(cause)) return add(path, 'A root cause has a key and a label.');
      if (typeof cause.key !== 'string' || !KEY.test(cause.key)) add(`${path}/key`, KEY_MESSAGE);
      else if (seen.has(cause.key)) add(`${path}/key`, `The key "${cause.key}" is used twice.`);
      else seen.add(cause.key);
      if (!text(cause.label, 120)) add(`${path}/label`, 'A label of 1 to 120 characters.');
    });
  }

  const sections = Array.isArray(input.sections) ? input.sections : null;
  if (!sections || sections.length === 0) {
    add('/sections', 'At least one section with questions.');
    return issues;
  }
  if (sections.length > 20) add('/sections', 'At most 20 sections.');
  const sectionKeys = new Set<string>();
  const questionKeys = new Set<string>();
  const derivedKinds = new Map<string, number>();
  let weighted = 0;
  let questionCount = 0;
  sections.forEach((section: unknown, s) => {
    const sPath = `/sections/${s}`;
    if (!isObject(section)) return add(sPath, 'A section has a key, a title and questions.');
    if (typeof section.key !== 'string' || !KEY.test(section.key)) add(`${sPath}/key`, KEY_MESSAGE);
    else if (sectionKeys.has(section.key)) add(`${sPath}/key`, `The section key "${section.key}" is used twice.`);
    else sectionKeys.add(section.key);
    if (!text(section.title, 120)) add(`${sPath}/title`, 'A title of 1 to 120 characters.');
    if (!Array.isArray(section.questions) || section.questions.length === 0) return add(`${sPath}/questions`, 'At least one question in each section.');
    section.questions.forEach((question: unknown, q) => {
      questionCount += 1;
      const path = `${sPath}/questions/${q}`;
      if (!isObject(question)) return add(path, 'A question has a key, text, kind, weight and critical flag.');
      if (typeof question.key !== 'string' || !KEY.test(question.key)) add(`${path}/key`, KEY_MESSAGE);
      else if (questionKeys.has(question.key)) add(`${path}/key`, `The question key "${question.key}" is used twice (keys are unique across sections).`);
      else questionKeys.add(question.key);
      if (!text(question.text, 300)) add(`${path}/text`, 'The question, 1 to 300 characters.');
      if (question.help !== undefined && !(typeof question.help === 'string' && question.help.length <= 2000)) add(`${path}/help`, 'Guidance of at most 2000 characters.');
      const kind = question.kind;
      if (!(QUESTION_KINDS as readonly unknown[]).includes(kind)) add(`${path}/kind`, `One of ${QUESTION_KINDS.join(', ')}.`);
      if (!(validNumber(question.weight) && question.weight >= 0 && question.weight <= 100)) add(`${path}/weight`, 'A weight from 0 to 100 (0 = informational, not scored).');
      else if (question.weight > 0) weighted += 1;
      if (typeof question.critical !== 'boolean') add(`${path}/critical`, 'Say whether failing this question fails the review (true or false).');
      if (question.allowNotApplicable !== undefined && typeof question.allowNotApplicable !== 'boolean') add(`${path}/allowNotApplicable`, 'true or false.');
      if (question.allowNotApplicable === true && kind !== 'yes_no') add(`${path}/allowNotApplicable`, 'Only yes/no questions can be answered N/A.');
      if (question.errorType !== undefined && !(ERROR_TYPES as readonly unknown[]).includes(question.errorType)) add(`${path}/errorType`, `One of ${ERROR_TYPES.join(', ')}.`);
      if (question.shortcut !== undefined && !(typeof question.shortcut === 'string' && /^[a-z0-9]$/.test(question.shortcut))) add(`${path}/shortcut`, 'A single lower-case letter or digit.');
      if (kind === 'correct_label' || kind === 'correct_action') {
        derivedKinds.set(kind, (derivedKinds.get(kind) ?? 0) + 1);
        if ((derivedKinds.get(kind) ?? 0) > 1) add(`${path}/kind`, `Only one ${kind === 'correct_label' ? '"correct label"' : '"correct action"'} question per scorecard: it follows from the verdict.`);
      }
      if (kind === 'choice') {
        const options = question.options;
        if (!Array.isArray(options) || options.length < 2) add(`${path}/options`, 'A choice question needs at least two options.');
        else {
          const optionKeys = new Set<string>();
          options.forEach((option: unknown, o) => {
            const oPath = `${path}/options/${o}`;
            if (!isObject(option)) return add(oPath, 'An option has a key, a label and a credit.');
            if (typeof option.key !== 'string' || !KEY.test(option.key)) add(`${oPath}/key`, KEY_MESSAGE);
            else if (optionKeys.has(option.key)) add(`${oPath}/key`, `The option key "${option.key}" is used twice.`);
            else optionKeys.add(option.key);
            if (!text(option.label, 120)) add(`${oPath}/label`, 'A label of 1 to 120 characters.');
            if (!(validNumber(option.credit) && option.credit >= 0 && option.credit <= 1)) add(`${oPath}/credit`, 'The share of the weight this option earns, from 0 to 1.');
          });
        }
      } else if (question.options !== undefined) add(`${path}/options`, 'Only choice questions have options.');
      if (kind === 'scale') {
        const f = question.failAtOrBelow;
        if (f !== undefined && !(typeof f === 'number' && Number.isInteger(f) && f >= 1 && f <= 4)) add(`${path}/failAtOrBelow`, 'A whole number from 1 to 4: answers at or below it count as failed.');
      } else if (question.failAtOrBelow !== undefined) add(`${path}/failAtOrBelow`, 'Only 1-5 scale questions have a fail threshold.');
    });
  });
  if (questionCount > 100) add('/sections', 'At most 100 questions in all.');
  if (weighted === 0 && questionCount > 0) add('/sections', 'At least one question needs a weight above 0, or nothing is scored.');
  return issues;
}

export const DEMO_ROOT_CAUSES = [
  { key: 'policy_knowledge_gap', label: 'Policy knowledge gap' },
  { key: 'missed_context', label: 'Missed context' },
  { key: 'ambiguous_guideline', label: 'Ambiguous guideline' },
  { key: 'language_cultural_context', label: 'Language or cultural context' },
  { key: 'tooling', label: 'Tooling' },
  { key: 'attention_fatigue', label: 'Attention / fatigue' },
  { key: 'process_not_followed', label: 'Process not followed' },
];

/** Where a new moderation workflow starts: label and action judged from the verdict, plus process. */
export const DEFAULT_MODERATION_SCORECARD: ScorecardDefinition = {
  sections: [
    {
      key: 'decision',
      title: 'Decision',
      questions: [
        {
          key: 'correct_label',
          text: 'Correct label?',
          help: "Follows from your own verdict compared with the agent's labels.",
          kind: 'correct_label',
          weight: 50,
          critical: true,
        },
        {
          key: 'correct_action',
          text: 'Correct action?',
          help: "Follows from your own verdict compared with the agent's action.",
          kind: 'correct_action',
          weight: 30,
          critical: false,
        },
      ],
    },
    {
      key: 'process',
      title: 'Process',
      questions: [
        {
          key: 'escalation_process',
          text: 'Followed the escalation process?',
          kind: 'yes_no',
          weight: 10,
          critical: false,
          allowNotApplicable: true,
          errorType: 'process',
        },
        {
          key: 'reason_code',
          text: 'Used the right reason code?',
          kind: 'choice',
          weight: 10,
          critical: false,
          options: [
            { key: 'right', label: 'Right reason code', credit: 1 },
            { key: 'close', label: 'Related but not the best code', credit: 0.5 },
            { key: 'wrong', label: 'Wrong or missing code', credit: 0 },
          ],
          errorType: 'process',
        },
      ],
    },
  ],
  rootCauses: DEMO_ROOT_CAUSES,
  commentRequiredOnFail: true,
  passMark: 80,
};

/** Where a new support workflow starts: action, resolution, tone, process, policy explanation. */
export const DEFAULT_SUPPORT_SCORECARD: ScorecardDefinition = {
  sections: [
    {
      key: 'outcome',
      title: 'Outcome',
      questions: [
        { key: 'correct_action', text: 'Correct action?', kind: 'correct_action', weight: 30, critical: false },
        { key: 'resolved', text: "Resolved the user's issue?", kind: 'yes_no', weight: 25, critical: false, errorType: 'wrong_action' },
        {
          key: 'policy_explained',
          text: 'Explained the policy correctly?',
          kind: 'yes_no',
          weight: 20,
          critical: true,
          allowNotApplicable: true,
          errorType: 'wrong_policy',
        },
      ],
    },
    {
      key: 'conduct',
      title: 'Conduct',
      questions: [
        { key: 'tone', text: 'Tone and empathy (1 = poor, 5 = excellent)', kind: 'scale', weight: 15, critical: false, failAtOrBelow: 2, errorType: 'process' },
        { key: 'process_followed', text: 'Followed the support process?', kind: 'yes_no', weight: 10, critical: false, errorType: 'process' },
      ],
    },
  ],
  rootCauses: DEMO_ROOT_CAUSES,
  commentRequiredOnFail: true,
  passMark: 80,
};
