import { describe, expect, it } from 'vitest';
import { escapeText, eventUid, foldLine, serializeCalendar } from '~/utils/ical';

/** Undoes RFC 5545 folding: CRLF followed by one space or tab joins the lines. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');

describe('iCalendar writer', () => {
  it('makes UIDs from the installation host', () => {
    expect(eventUid('assignment-7', 'https://enkatnav.example.se/')).toBe('assignment-7@enkatnav.example.se');
    expect(eventUid('assignment-7', 'http://127.0.0.1:3000')).toBe('assignment-7@127.0.0.1');
    expect(eventUid('assignment-7', 'not a url')).toBe('assignment-7@enkatnav.invalid');
  });

  it('escapes backslash, semicolon, comma and every kind of newline in TEXT', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
    expect(escapeText('Återrapportering 2018: kommun')).toBe('Återrapportering 2018: kommun');
  });

  it('folds at 75 octets without splitting a UTF-8 character, and unfolds to the original', () => {
    const line = `SUMMARY:${'Åäö€'.repeat(40)}`;
    const folded = foldLine(line);
    const lines = folded.split('\r\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const [i, l] of lines.entries()) {
      expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
      if (i > 0) expect(l.startsWith(' ')).toBe(true);
      // No replacement characters: every piece is whole UTF-8.
      expect(Buffer.from(l, 'utf8').toString('utf8')).toBe(l);
    }
    expect(unfold(folded)).toBe(line);
    expect(foldLine('SHORT:x')).toBe('SHORT:x');
    // Exactly 75 octets stays one line; 76 folds.
    expect(foldLine('X'.repeat(75))).toBe('X'.repeat(75));
    expect(foldLine('X'.repeat(76))).toBe(`${'X'.repeat(75)}\r\n X`);
  });

  it('writes a calendar with CRLF endings, all-day dates and escaped text', () => {
    const text = serializeCalendar({
      prodId: '-//Test//SV',
      name: 'Kalender, test',
      events: [
        {
          uid: 'assignment-7@enkatnav',
          date: '2019-03-15',
          summary: 'Sista svarsdag: ÖJ 2019; kommuner, stadsdelar',
          description: 'Rad ett\nhttps://example.se/svar/abc\\def',
          url: 'https://example.se/svar/abc',
          stamp: new Date('2019-01-23T08:00:00.123Z'),
        },
        { uid: 'assignment-8@enkatnav', date: '2019-12-31', summary: 'Nyår', stamp: new Date('2019-01-23T08:00:00Z') },
      ],
    });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = unfold(text).split('\r\n');
    expect(lines.slice(0, 2)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0']);
    expect(lines).toContain('PRODID:-//Test//SV');
    expect(lines).toContain('X-WR-CALNAME:Kalender\\, test');
    expect(lines).toContain('UID:assignment-7@enkatnav');
    expect(lines).toContain('DTSTAMP:20190123T080000Z');
    expect(lines).toContain('DTSTART;VALUE=DATE:20190315');
    expect(lines).toContain('DTEND;VALUE=DATE:20190316');
    expect(lines).toContain('DTEND;VALUE=DATE:20200101');
    expect(lines).toContain('SUMMARY:Sista svarsdag: ÖJ 2019\\; kommuner\\, stadsdelar');
    expect(lines).toContain('DESCRIPTION:Rad ett\\nhttps://example.se/svar/abc\\\\def');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(2);
    expect(lines.filter((l) => l === 'END:VEVENT')).toHaveLength(2);
    expect(lines.at(-2)).toBe('END:VCALENDAR');
  });

  it('refuses a malformed date rather than writing a broken event', () => {
    expect(() => serializeCalendar({ prodId: 'x', events: [{ uid: 'u', date: '15/3/2019', summary: 's', stamp: new Date() }] })).toThrow(/YYYY-MM-DD/);
  });
});
