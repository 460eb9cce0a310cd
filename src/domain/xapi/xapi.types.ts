/** Shapes shared by the API and the web UI for xAPI credentials (declarations only). */

export type XapiCredentialAccess = 'read' | 'write' | 'read_write';

export interface XapiCredential {
  id: string;
  name: string;
  /** The Basic-auth user name; the secret is shown once, at creation. */
  key: string;
  /** null = organisation-wide: reads and writes every statement and document. */
  vendorId: string | null;
  vendorName: string | null;
  access: XapiCredentialAccess;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface XapiCredentialCreated extends XapiCredential {
  secret: string;
}

export interface XapiCredentialInput {
  name: string;
  vendorId: string | null;
  access: XapiCredentialAccess;
}

/** One stored statement as the admin screen lists it (the full statement stays in the LRS). */
export interface XapiStatementSummary {
  id: string;
  stored: string;
  timestamp: string;
  actor: string;
  verb: string;
  object: string;
  success: boolean | null;
  scaled: number | null;
  voided: boolean;
  credentialName: string | null;
  vendorName: string | null;
}

export interface XapiStatementPage {
  items: XapiStatementSummary[];
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: string | null;
}

/** LRS settings: the IRI base of Assay's own statements and employee_ref matching of external accounts. */
export interface XapiSettings {
  activityBase: string;
  employeeRefHomePage: string | null;
  updatedAt: string;
}

/** An external activity counted as completion of an Assay course. */
export interface XapiActivityMapping {
  id: string;
  activityId: string;
  courseId: string;
  courseTitle: string;
  vendorId: string | null;
  vendorName: string | null;
  /** Enrolments on the course completed by external statements. */
  completions: number;
  createdAt: string;
}

/** Forwarding of Assay's own statements to an external LRS; the secret is write-only. */
export interface XapiForwarding {
  enabled: boolean;
  endpoint: string | null;
  username: string | null;
  hasSecret: boolean;
  version: '1.0.3' | '2.0.0';
  updatedAt: string;
  outbox: { pending: number; retrying: number; delivered: number; lastDeliveredAt: string | null; lastError: string | null };
}

export interface XapiForwardingInput {
  enabled: boolean;
  endpoint: string | null;
  username: string | null;
  /** Omit to keep the stored secret; null clears it. */
  secret?: string | null;
  version: '1.0.3' | '2.0.0';
}
