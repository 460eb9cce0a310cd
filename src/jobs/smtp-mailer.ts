import nodemailer from 'nodemailer';
import type { Mailer, MailMessage } from '../domain/training-operations/mail.types.ts';

/**
 * The Mailer over SMTP (nodemailer). SMTP_URL is a nodemailer connection URL
 * (smtp://user:pass@host:587, smtps://host:465); a `from` query parameter
 * sets the sender (smtp://host:25?from=training@example.com), otherwise
 * "Assay <assay@localhost>".
 */
export function createSmtpMailer(smtpUrl: string): Mailer {
  const url = new URL(smtpUrl);
  const from = url.searchParams.get('from') ?? 'Assay <assay@localhost>';
  url.searchParams.delete('from');
  const transport = nodemailer.createTransport(url.toString());
  return {
    async send(message: MailMessage) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}
