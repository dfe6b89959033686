/**
 * A small iCalendar (RFC 5545) writer for all-day events: enough for a feed of deadlines.
 * No maintained package is installed, and the part we need is short: text escaping (§3.3.11),
 * line folding at 75 octets (§3.1) and CRLF line endings.
 * @example serializeCalendar({ prodId: '-//Enkätnav//SV', name: 'Deadlines', events: [{ uid: 'a-1@x', date: '2019-03-15', summary: 'Sista svarsdag', stamp: new Date() }] })
 */

export interface CalendarEvent {
  /** Globally unique and stable across feeds, so calendar apps update rather than duplicate. */
  uid: string;
  /** The day, `YYYY-MM-DD`, written as an all-day DATE. */
  date: string;
  summary: string;
  description?: string;
  url?: string;
  /** DTSTAMP: when this event's information last changed. */
  stamp: Date;
}

export interface Calendar {
  prodId: string;
  /** Shown by most calendar apps as the calendar's name (X-WR-CALNAME). */
  name?: string;
  events: CalendarEvent[];
}

/**
 * A UID unique across installations (RFC 5545 §3.8.4.7 suggests `id@host`): the host of the
 * installation's base URL (APP_URL), so two installations' event 7 never collide in a calendar.
 * @example eventUid('assignment-7', 'https://enkatnav.example.se') // 'assignment-7@enkatnav.example.se'
 */
export function eventUid(localId: string, baseUrl: string): string {
  let host = 'enkatnav.invalid';
  try {
    host = new URL(baseUrl).hostname || host;
  } catch {
    // An unparsable base URL never reaches here in practice (APP_URL is validated); keep a valid UID anyway.
  }
  return `${localId}@${host}`;
}

/** Escapes a TEXT value: backslash, semicolon, comma and newlines. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Folds a content line so that no line is longer than 75 octets (UTF-8), without splitting a
 * character; continuation lines start with one space, which counts towards their 75.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** `2019-03-15` → `20190315`. */
function icalDate(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a YYYY-MM-DD date: ${day}`);
  return day.replace(/-/g, '');
}

/** The day after `day` (DTEND of an all-day event is exclusive). */
function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** UTC date-time form: `20190315T120000Z`. */
function icalStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The whole calendar as text with CRLF line endings and folded lines. */
export function serializeCalendar(calendar: Calendar): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${calendar.prodId}`, 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH'];
  if (calendar.name) lines.push(`X-WR-CALNAME:${escapeText(calendar.name)}`);
  for (const e of calendar.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${icalStamp(e.stamp)}`,
      `DTSTART;VALUE=DATE:${icalDate(e.date)}`,
      `DTEND;VALUE=DATE:${icalDate(nextDay(e.date))}`,
      `SUMMARY:${escapeText(e.summary)}`,
    );
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    // URI values are not TEXT: no escaping, but they still fold.
    if (e.url) lines.push(`URL:${e.url}`);
    lines.push('TRANSP:TRANSPARENT', 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
