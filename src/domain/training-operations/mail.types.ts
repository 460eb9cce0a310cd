/**
 * An outgoing email and the one thing the domain asks of a mail transport.
 * Declarations only: the SMTP implementation lives in src/jobs/smtp-mailer.ts,
 * so the domain stays free of nodemailer and tests can hand in any transport.
 */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
