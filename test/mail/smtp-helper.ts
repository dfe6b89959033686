import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope recipients. */
  to: string[];
  subject: string;
  /** The decoded text/plain part. */
  text: string;
  /** The decoded text/html part, or '' when there is none. */
  html: string;
  raw: string;
}

export type SmtpMode = 'accept' | 'temporary-failure' | 'permanent-failure';

export interface TestSmtp {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** How the server answers MAIL FROM from now on. */
  setMode: (mode: SmtpMode) => void;
  /** Refused transactions so far. */
  refused: () => number;
  close: () => Promise<void>;
}

function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) =>
    enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : decodeQp(data.replace(/_/g, ' ')),
  );
}

function decodeQp(value: string): string {
  const bytes: number[] = [];
  const soft = value.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The decoded body of the first text/<subtype> part, or ''. */
function textPart(raw: string, subtype: 'plain' | 'html'): string {
  const part = new RegExp(`Content-Type: text\\/${subtype}[^\\r\\n]*\\r?\\n(?:[^\\r\\n]+\\r?\\n)*?(?:Content-Transfer-Encoding: ([\\w-]+)\\r?\\n)?(?:[^\\r\\n]+\\r?\\n)*\\r?\\n([\\s\\S]*?)(?:\\r?\\n--|$)`, 'i').exec(raw);
  const encoding = part?.[1]?.toLowerCase();
  const body = part?.[2] ?? '';
  return encoding === 'quoted-printable' ? decodeQp(body) : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
}

/** Just enough MIME for nodemailer's output: the Subject and the text/plain and text/html parts. */
export function parseMail(raw: string, to: string[]): ReceivedMail {
  const [head] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const subject = decodeWords(/^Subject: (.*)$/im.exec(unfolded)?.[1] ?? '');
  return { to, subject, text: textPart(raw, 'plain'), html: textPart(raw, 'html'), raw };
}

/** One header of a raw message, unfolded (the first one of that name), or undefined. */
export function mailHeader(raw: string, name: string): string | undefined {
  const [head] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const escaped = name.replace(/[-]/g, '\\-');
  return new RegExp(`^${escaped}: (.*)$`, 'im').exec(unfolded)?.[1]?.trim();
}

/**
 * A real SMTP server on 127.0.0.1 and a free port that keeps what it receives. It can refuse
 * mail with 451 (temporary) or 550 (permanent) to test retries.
 * @example const smtp = await startSmtp(); … smtpMailer(smtp.url, 'x@y.se') … await smtp.close()
 */
export async function startSmtp(): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  let mode: SmtpMode = 'accept';
  let refused = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (mode === 'accept') return callback();
      refused++;
      const error = new Error(mode === 'temporary-failure' ? 'Try again later' : 'Mailbox unavailable') as Error & { responseCode: number };
      error.responseCode = mode === 'temporary-failure' ? 451 : 550;
      callback(error);
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(parseMail(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((r) => r.address)));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    setMode: (m) => (mode = m),
    refused: () => refused,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
