import nodemailer from 'nodemailer';
import { getEnv } from '~/utils/env.server';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  /** Extra headers for this message, e.g. `List-Unsubscribe`. */
  headers?: Record<string, string> | null;
}

/**
 * Headers on every message the app sends: all of them are automated (invitations, reminders,
 * sign-in links, receipts). RFC 3834 `Auto-Submitted` keeps vacation responders and ticket
 * systems from answering; `X-Auto-Response-Suppress` asks the same of Exchange.
 */
export const AUTOMATED_HEADERS: Readonly<Record<string, string>> = {
  'Auto-Submitted': 'auto-generated',
  'X-Auto-Response-Suppress': 'All',
};

/** Sends one message or throws. The outbox retries on throw. */
export interface Mailer {
  send: (message: MailMessage) => Promise<void>;
  close: () => void;
}

/**
 * A mailer over SMTP, from a URL such as `smtp://user:pass@mail.example.se:587` or
 * `smtps://…:465`. Timeouts are short: a slow server must not hold the job loop.
 * @example const mailer = smtpMailer('smtp://127.0.0.1:2525', 'Enkätnav <noreply@example.se>')
 */
export function smtpMailer(url: string, from: string): Mailer {
  // A small pool: a reminder run of thousands of messages reuses connections instead of
  // opening one per message (about ten times faster against a local server).
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 2,
    maxMessages: 100,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html ?? undefined,
        headers: { ...message.headers, ...AUTOMATED_HEADERS },
      });
    },
    close: () => transport.close(),
  };
}

let cached: Mailer | null | undefined;

/** The app's mailer from SMTP_URL and MAIL_FROM, or null when SMTP_URL is unset (messages then stay queued). */
export function getMailer(): Mailer | null {
  if (cached !== undefined) return cached;
  const env = getEnv();
  cached = env.SMTP_URL ? smtpMailer(env.SMTP_URL, env.MAIL_FROM) : null;
  return cached;
}
