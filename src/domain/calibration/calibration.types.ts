/**
 * Calibration: shapes shared by the server and the web UI (declarations only; imports nothing).
 * A session's results are the agreement among participants on the label and on the action,
 * each participant's alignment with the expert answer, per-question agreement and the most
 * divergent items, overall and per participant group.
 */

export const PARTICIPANT_GROUPS = ['internal_qa', 'vendor_qa', 'trainer', 'sme', 'external'] as const;
export type ParticipantGroupKey = (typeof PARTICIPANT_GROUPS)[number];

export const PARTICIPANT_GROUP_LABELS: Record<ParticipantGroupKey, string> = {
  internal_qa: 'Internal QA',
  vendor_qa: 'Vendor QA',
  trainer: 'Trainer',
  sme: 'Policy SME',
  external: 'External rater',
};

/** A coefficient with its standard error and interval (from src/domain/stats). */
export interface AgreementFigure {
  value: number | null;
  se: number | null;
  lower: number | null;
  upper: number | null;
  /** Items that entered the figure. */
  n: number;
  raters: number;
  reason: string | null;
}

/** Krippendorff's alpha (nominal), Gwet's AC1 and percent agreement on one field. */
export interface FieldAgreement {
  alpha: AgreementFigure;
  ac1: AgreementFigure;
  percent: AgreementFigure;
  /** Items with at least two ratings, and ratings in all. */
  items: number;
  ratings: number;
}

/** A share with its Wilson interval. */
export interface Share {
  value: number | null;
  lower: number;
  upper: number;
  x: number;
  n: number;
}

export interface ParticipantAlignment {
  participantId: string;
  /** null when the participant is outside the viewer's scope (shown as a pseudonym). */
  personId: string | null;
  name: string;
  group: ParticipantGroupKey;
  vendorId: string | null;
  vendorName: string | null;
  rated: number;
  /** Share of the items with an expert answer where the participant's label (action) matched it. */
  label: Share;
  action: Share | null;
}

export interface QuestionAgreement {
  questionKey: string;
  text: string;
  percent: AgreementFigure;
  alpha: AgreementFigure;
  /** Share of participants' answers that match the expert's answer, where the expert answered. */
  expertMatch: Share | null;
}

export interface ItemDivergence {
  itemId: string;
  position: number;
  ref: string;
  ratings: number;
  /** Share of rater pairs agreeing on the label (null below two ratings). */
  labelAgreement: number | null;
  /** Shannon entropy of the label distribution, in bits. */
  labelEntropy: number;
  modalLabel: string | null;
  expertLabel: string | null;
  /** Share of ratings matching the expert label (null without an expert label). */
  expertMatch: number | null;
  /** label -> number of ratings */
  distribution: Record<string, number>;
}

export interface GroupResults {
  group: ParticipantGroupKey;
  participants: number;
  label: FieldAgreement;
  action: FieldAgreement | null;
  labelExpertMatch: Share;
  actionExpertMatch: Share | null;
}

export interface CalibrationResults {
  sessionId: string;
  items: number;
  participants: number;
  label: FieldAgreement;
  action: FieldAgreement | null;
  alignment: ParticipantAlignment[];
  questions: QuestionAgreement[];
  divergentItems: ItemDivergence[];
  groups: GroupResults[];
}
