import type { Kysely } from 'kysely';
import type { Database, LedgerStatus } from '../../../db/schema';
import { audit } from '../auth/audit.server';
import { enqueueMessage, enqueueMessages, type NewMessage } from '../mail/outbox.server';
import { swedishDate } from '../mail/templates.server';
import { contactsByOrganisation } from '../organisations/contacts.server';
import { GrantInputError, requestDeadlineOf } from './programs.server';
import { refreshLedgerRows } from './record.server';
import { LEDGER_STATUS_LABELS } from './status';

/**
 * Rekvisition online: a recipient sees its allocated amount at /min-organisation and requests it
 * before the deadline (or declines), signed by a named person with a role; the receipt is
 * e-mailed. Administrators chase those who have not answered with a reminder through the outbox
 * (at most one a day per recipient, like round reminders).
 */

export interface GrantOffer {
  ledgerId: number;
  programName: string;
  programCode: string;
  year: number;
  allocatedSek: number;
  deadline: string;
  extended: boolean;
  /** The recipient may still request or decline. */
  open: boolean;
  requestedAt: string | null;
  requestedSek: number | null;
  requestedBy: string | null;
  declinedAt: string | null;
  paidSek: number | null;
  paidAt: string | null;
  usedSek: number | null;
  repaidSek: number;
  reclaimedSek: number;
  reclaimReason: string | null;
  reclaimedAt: string | null;
  reportDeadline: string;
  status: LedgerStatus;
  statusLabel: string;
}

const kr = (n: number) => `${n.toLocaleString('sv-SE')} kr`;

/** The grant years of one organisation, newest first. */
export async function grantOffers(db: Kysely<Database>, organisationId: number, now = new Date()): Promise<GrantOffer[]> {
  const rows = await db
    .selectFrom('grant_ledger as l')
    .innerJoin('grant_years as y', 'y.id', 'l.grant_year_id')
    .innerJoin('grant_programs as p', 'p.id', 'y.program_id')
    .selectAll('l')
    .select(['p.name as program_name', 'p.code as program_code', 'y.year', 'y.request_deadline', 'y.report_deadline'])
    .where('l.organisation_id', '=', organisationId)
    .where('y.allocated_at', 'is not', null)
    .orderBy('y.year', 'desc')
    .orderBy('p.code')
    .execute();
  return rows.map((r) => {
    const deadline = requestDeadlineOf(r, r);
    return {
      ledgerId: r.id,
      programName: r.program_name,
      programCode: r.program_code,
      year: r.year,
      allocatedSek: Number(r.allocated_sek),
      deadline,
      extended: deadline !== r.request_deadline,
      open: !r.requested_at && Date.parse(deadline) >= now.getTime(),
      requestedAt: r.requested_at,
      requestedSek: r.requested_sek == null ? null : Number(r.requested_sek),
      requestedBy: r.requested_by_name ? `${r.requested_by_name}, ${r.requested_by_role}` : null,
      declinedAt: r.declined_at,
      paidSek: r.paid_sek == null ? null : Number(r.paid_sek),
      paidAt: r.paid_at,
      usedSek: r.used_sek == null ? null : Number(r.used_sek),
      repaidSek: Number(r.repaid_sek),
      reclaimedSek: Number(r.reclaimed_sek),
      reclaimReason: r.reclaim_reason,
      reclaimedAt: r.reclaimed_at,
      reportDeadline: r.report_deadline,
      status: r.status,
      statusLabel: LEDGER_STATUS_LABELS[r.status],
    };
  });
}

export interface SignedAnswer {
  ledgerId: number;
  organisationId: number;
  userId: number;
  /** Where the receipt goes. */
  email: string;
  name: string;
  role: string;
  decision: 'request' | 'decline';
}

/**
 * Records a rekvisition (the whole allocated amount) or a decline. Refused after the deadline
 * (unless extended for this recipient), when already requested, or for another organisation's row.
 * @example await answerOffer(db, { ledgerId, organisationId, userId, email, name: 'Eva Ek', role: 'Socialchef', decision: 'request' })
 */
export async function answerOffer(db: Kysely<Database>, input: SignedAnswer, now = new Date()): Promise<{ reference: string }> {
  const offer = (await grantOffers(db, input.organisationId, now)).find((o) => o.ledgerId === input.ledgerId);
  if (!offer) throw new GrantInputError('no such grant for this organisation', 'Medlen finns inte för din organisation.');
  if (offer.requestedAt) throw new GrantInputError('the grant has already been requested', `Medlen rekvirerades redan ${swedishDate(offer.requestedAt)} av ${offer.requestedBy}.`);
  if (Date.parse(offer.deadline) < now.getTime())
    throw new GrantInputError('the rekvisition deadline has passed', `Sista dag för rekvisition var ${swedishDate(offer.deadline)}. Kontakta handläggaren om ni behöver förlängd tid.`);
  const at = now.toISOString();
  const reference = `R-${offer.year}-${input.ledgerId}`;
  const org = await db.selectFrom('organisations').select('name').where('id', '=', input.organisationId).executeTakeFirstOrThrow();
  await db.transaction().execute(async (trx) => {
    const set =
      input.decision === 'request'
        ? { requested_sek: offer.allocatedSek, requested_at: at, declined_at: null }
        : { declined_at: at, requested_sek: null, requested_at: null };
    await trx
      .updateTable('grant_ledger')
      .set({ ...set, requested_by_name: input.name, requested_by_role: input.role, requested_by_user_id: input.userId, updated_at: at })
      .where('id', '=', input.ledgerId)
      .where('requested_at', 'is', null)
      .execute();
    await audit(trx, { actorUserId: input.userId, action: input.decision === 'request' ? 'grant.request' : 'grant.decline', entity: 'grant_ledger', entityId: input.ledgerId, after: { ...set, name: input.name, role: input.role } });
    await refreshLedgerRows(trx, [input.ledgerId]);
    const what = input.decision === 'request' ? `rekvirerat ${kr(offer.allocatedSek)}` : 'avstått från';
    const text = [
      'Hej!',
      `${org.name} har ${what} ${offer.programName} för ${offer.year}${input.decision === 'decline' ? '' : ''}.`,
      `Undertecknat av ${input.name}, ${input.role}, ${swedishDate(at)}. Referens: ${reference}.`,
      input.decision === 'request' ? `Medlen ska användas under ${offer.year} och återrapporteras senast ${swedishDate(offer.reportDeadline)}. Medel som inte används ska betalas tillbaka.` : 'Ni kan ändra er och rekvirera fram till sista dag för rekvisition.',
      '-- \nEnkätnav',
    ].join('\n\n');
    const message: NewMessage = { to: input.email, subject: `Kvittens: ${input.decision === 'request' ? 'rekvisition' : 'avstår'} ${offer.programName} ${offer.year}`, text, kind: 'receipt', dedupeKey: `grant-receipt:${input.ledgerId}:${at}` };
    await enqueueMessage(trx, message, now);
  });
  return { reference };
}

const DAY_MS = 86_400_000;

/** The recipients of a year that have neither requested nor declined (and still have a share). */
const unanswered = (db: Kysely<Database>, yearId: number) =>
  db
    .selectFrom('grant_ledger as l')
    .innerJoin('grant_years as y', 'y.id', 'l.grant_year_id')
    .innerJoin('grant_programs as p', 'p.id', 'y.program_id')
    .innerJoin('organisations as o', 'o.id', 'l.organisation_id')
    .select(['l.id', 'l.organisation_id', 'l.allocated_sek', 'l.request_extended_until', 'o.name', 'p.name as program_name', 'y.year', 'y.request_deadline'])
    .where('l.grant_year_id', '=', yearId)
    .where('l.requested_at', 'is', null)
    .where('l.declined_at', 'is', null)
    // A share redistributed to others (redistribute.server.ts) is 0: nothing left to request.
    .where('l.allocated_sek', '>', 0);

type UnansweredRow = Awaited<ReturnType<ReturnType<typeof unanswered>['execute']>>[number];

/**
 * The reminder machinery of rekvisition, shared by the button and the job loop: one message per
 * recipient to its contacts, de-duplicated by `keyOf` (null: not due, skipped).
 */
async function enqueueRequestReminders(db: Kysely<Database>, rows: UnansweredRow[], baseUrl: string, now: Date, keyOf: (r: UnansweredRow, deadline: string) => string | null): Promise<{ enqueued: number; noAddress: number }> {
  const due = rows.flatMap((r) => {
    const deadline = requestDeadlineOf(r, r);
    const key = keyOf(r, deadline);
    return key ? [{ r, deadline, key }] : [];
  });
  const contacts = await contactsByOrganisation(db, due.map((d) => d.r.organisation_id));
  const messages: NewMessage[] = [];
  let noAddress = 0;
  for (const { r, deadline, key } of due) {
    const to = (contacts.get(r.organisation_id) ?? []).map((c) => c.email);
    if (to.length === 0) {
      noAddress++;
      continue;
    }
    messages.push({
      to,
      kind: 'reminder',
      dedupeKey: key,
      subject: `Påminnelse: rekvirera ${r.program_name} ${r.year} senast ${swedishDate(deadline)}`,
      text: [
        'Hej!',
        `${r.name} har tilldelats ${kr(Number(r.allocated_sek))} ur ${r.program_name} för ${r.year}. Medlen har inte rekvirerats ännu. Sista dag är ${swedishDate(deadline)}.`,
        'Logga in och rekvirera, eller avstå, under Min organisation:',
        `${baseUrl.replace(/\/+$/, '')}/min-organisation`,
        '-- \nEnkätnav',
      ].join('\n\n'),
    });
  }
  let enqueued = 0;
  for (let i = 0; i < messages.length; i += 200) enqueued += await enqueueMessages(db, messages.slice(i, i + 200), now);
  return { enqueued, noAddress };
}

/**
 * Reminds every recipient of a year that has neither requested nor declined, by e-mail to its
 * contacts; at most once a day per recipient. Returns how many messages were queued and how
 * many recipients have no contact address.
 */
export async function remindUnrequested(db: Kysely<Database>, yearId: number, baseUrl: string, now = new Date()): Promise<{ enqueued: number; noAddress: number }> {
  const day = now.toISOString().slice(0, 10);
  return enqueueRequestReminders(db, await unanswered(db, yearId).execute(), baseUrl, now, (r) => `grant-request-reminder:${r.id}:${day}`);
}

/**
 * The automatic reminder (job loop): for every allocated year with `request_reminder_days`, each
 * recipient that has not answered is reminded once, from that many days before its rekvisition
 * deadline (the year's, or its extension) until the deadline. The key names the scheduled date,
 * so every later pass, and every instance, finds it sent; an extension schedules a new date.
 * @example await sendScheduledRequestReminders(db, appBaseUrl(), new Date())
 */
export async function sendScheduledRequestReminders(db: Kysely<Database>, baseUrl: string, now = new Date()): Promise<{ years: number; enqueued: number; noAddress: number }> {
  const stamp = now.toISOString();
  const years = await db.selectFrom('grant_years').select(['id', 'request_deadline', 'request_reminder_days']).where('request_reminder_days', 'is not', null).where('allocated_at', 'is not', null).execute();
  const total = { years: 0, enqueued: 0, noAddress: 0 };
  for (const year of years) {
    const days = Number(year.request_reminder_days);
    // Extensions only move a deadline later, so before the year's own date nothing is due.
    if (Date.parse(year.request_deadline) - days * DAY_MS > now.getTime()) continue;
    const rows = await unanswered(db, year.id)
      .where((eb) => eb.or([eb('y.request_deadline', '>=', stamp), eb('l.request_extended_until', '>=', stamp)]))
      .execute();
    if (rows.length === 0) continue;
    const r = await enqueueRequestReminders(db, rows, baseUrl, now, (row, deadline) => {
      const scheduled = Date.parse(deadline) - days * DAY_MS;
      if (scheduled > now.getTime() || Date.parse(deadline) < now.getTime()) return null;
      return `grant-request-reminder:${row.id}:auto:${new Date(scheduled).toISOString().slice(0, 10)}`;
    });
    total.years += 1;
    total.enqueued += r.enqueued;
    total.noAddress += r.noAddress;
  }
  return total;
}
