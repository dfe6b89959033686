/**
 * The Swedish e-mails of rounds and sign-in (receipts live in receipts.server.ts). Each returns
 * a subject, a plain-text body and a simple HTML body; the plain text is the one that matters
 * (many agencies show text only).
 */
export interface Email {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// Made once: building an Intl formatter costs far more than using one (thousands of reminders per run).
const SWEDISH_DATE = new Intl.DateTimeFormat('sv-SE', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Stockholm' });

/** A date as Swedes write it in a letter: "15 mars 2019", in Swedish time. */
export function swedishDate(iso: string): string {
  return SWEDISH_DATE.format(new Date(iso));
}

const link = (url: string) => `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;

/** Paragraphs to text and HTML; a paragraph that is a URL, or ends in `: <URL>`, gets a link. */
function compose(subject: string, paragraphs: string[]): Email {
  const text = `${paragraphs.join('\n\n')}\n\n-- \nEnkätnav\n`;
  const html = [
    '<!doctype html><html lang="sv"><body style="font-family:sans-serif;line-height:1.5">',
    ...paragraphs.map((p) => {
      if (/^https?:\/\/\S+$/.test(p)) return `<p>${link(p)}</p>`;
      const trailing = /^([\s\S]*: )(https?:\/\/\S+)$/.exec(p);
      if (trailing) return `<p>${escapeHtml(trailing[1]).replace(/\n/g, '<br>')}${link(trailing[2])}</p>`;
      return `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`;
    }),
    '<p style="color:#555">Enkätnav</p></body></html>',
  ].join('\n');
  return { subject, text, html };
}

export interface AssignmentMailInput {
  /** The organisation's name, or the invited person's name for person surveys. */
  recipientName: string;
  surveyTitle: string;
  roundTitle: string;
  /** ISO timestamp of the effective deadline. */
  deadline: string;
  link: string;
  contactText?: string | null;
  /** The round's opt-out link, the same URL as the `List-Unsubscribe` header; ends the mail. */
  unsubscribeLink?: string | null;
}

/** The last paragraph of invitations and reminders: how to stop this round's reminders. */
const unsubscribeLine = (input: AssignmentMailInput) =>
  input.unsubscribeLink ? [`Vill du inte få fler påminnelser om den här omgången? Avregistrera dig här: ${input.unsubscribeLink}`] : [];

export function invitationEmail(input: AssignmentMailInput): Email {
  return compose(`Inbjudan: ${input.roundTitle} – svara senast ${swedishDate(input.deadline)}`, [
    `Hej!`,
    `${input.recipientName} är inbjuden att besvara ${input.surveyTitle} (${input.roundTitle}). Sista svarsdag är ${swedishDate(input.deadline)}.`,
    'Öppna formuläret med den personliga länken nedan. Ni kan spara och fortsätta senare, och flera kollegor kan dela länken. Skicka in när svaret är klart.',
    input.link,
    'Länken är personlig för er organisation. Dela den inte utanför organisationen.',
    ...(input.contactText ? [`Frågor? ${input.contactText}`] : []),
    ...unsubscribeLine(input),
  ]);
}

/** `daysFromDeadline` is the schedule step: negative before the deadline, positive after. */
export function reminderEmail(input: AssignmentMailInput & { daysFromDeadline: number | null }): Email {
  const overdue = input.daysFromDeadline !== null && input.daysFromDeadline > 0;
  return compose(
    overdue
      ? `Påminnelse: ${input.roundTitle} – sista svarsdagen har passerat`
      : `Påminnelse: ${input.roundTitle} – svara senast ${swedishDate(input.deadline)}`,
    [
      'Hej!',
      overdue
        ? `Vi har ännu inte fått något svar från ${input.recipientName} på ${input.surveyTitle}. Sista svarsdagen var ${swedishDate(input.deadline)}, men svar tas fortfarande emot så länge enkäten är öppen.`
        : `Vi har ännu inte fått något inskickat svar från ${input.recipientName} på ${input.surveyTitle}. Sista svarsdag är ${swedishDate(input.deadline)}.`,
      'Fortsätt där ni slutade med er personliga länk:',
      input.link,
      'Har ni redan skickat in? Då kan ni bortse från det här meddelandet.',
      ...(input.contactText ? [`Frågor? ${input.contactText}`] : []),
      ...unsubscribeLine(input),
    ],
  );
}

export function signInEmail(input: { link: string; minutes: number }): Email {
  return compose('Din inloggningslänk till Enkätnav', [
    'Hej!',
    `Någon, förhoppningsvis du, bad om att få logga in i Enkätnav med den här adressen. Länken gäller i ${input.minutes} minuter och kan användas en gång:`,
    input.link,
    'Bad du inte om att logga in? Då kan du bortse från meddelandet; ingen kommer in utan länken.',
  ]);
}
