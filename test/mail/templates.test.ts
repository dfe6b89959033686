import { describe, expect, it } from 'vitest';
import { invitationEmail, reminderEmail, signInEmail, swedishDate } from '~/models/mail/templates.server';

const base = {
  recipientName: 'Kommun <script>',
  surveyTitle: 'Öppna jämförelser – våld i nära relationer 2019',
  roundTitle: 'ÖJ 2019',
  deadline: '2019-03-15T22:59:59.000Z',
  link: 'https://enkatnav.example.se/svar/abc_DEF-123',
  contactText: 'Ring 075-247 30 00.',
};

describe('e-mail templates', () => {
  it('writes dates as Swedes do, in Swedish time', () => {
    expect(swedishDate('2019-03-15T22:59:59.000Z')).toBe('15 mars 2019');
    expect(swedishDate('2019-03-15T23:30:00.000Z')).toBe('16 mars 2019');
  });

  it('invitation: organisation, survey, deadline, link and contact, HTML escaped', () => {
    const mail = invitationEmail(base);
    expect(mail.subject).toBe('Inbjudan: ÖJ 2019 – svara senast 15 mars 2019');
    expect(mail.text).toContain('Kommun <script> är inbjuden att besvara Öppna jämförelser – våld i nära relationer 2019 (ÖJ 2019). Sista svarsdag är 15 mars 2019.');
    expect(mail.text).toContain('\nhttps://enkatnav.example.se/svar/abc_DEF-123\n');
    expect(mail.text).toContain('Frågor? Ring 075-247 30 00.');
    expect(mail.html).toContain('Kommun &lt;script&gt;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('<a href="https://enkatnav.example.se/svar/abc_DEF-123">');
    expect(mail.html).toContain('lang="sv"');
  });

  it('reminder before and after the deadline', () => {
    expect(reminderEmail({ ...base, daysFromDeadline: -3 }).subject).toBe('Påminnelse: ÖJ 2019 – svara senast 15 mars 2019');
    const late = reminderEmail({ ...base, daysFromDeadline: 2 });
    expect(late.subject).toBe('Påminnelse: ÖJ 2019 – sista svarsdagen har passerat');
    expect(late.text).toContain('Sista svarsdagen var 15 mars 2019');
  });

  it('invitation and reminder end with the opt-out link when given one, as text and as an HTML link', () => {
    const url = 'https://enkatnav.example.se/avregistrera/7.abc';
    for (const mail of [invitationEmail({ ...base, unsubscribeLink: url }), reminderEmail({ ...base, unsubscribeLink: url, daysFromDeadline: -3 })]) {
      expect(mail.text).toMatch(/Avregistrera dig här: https:\/\/enkatnav\.example\.se\/avregistrera\/7\.abc\n\n-- \nEnkätnav\n$/);
      expect(mail.html).toContain(`<p>Vill du inte få fler påminnelser om den här omgången? Avregistrera dig här: <a href="${url}">${url}</a></p>`);
    }
    expect(invitationEmail(base).text).not.toMatch(/Avregistrera/);
  });

  it('sign-in: the link, how long it is valid, and what to do if you did not ask', () => {
    const mail = signInEmail({ link: 'https://x.se/logga-in/T', minutes: 15 });
    expect(mail.subject).toBe('Din inloggningslänk till Enkätnav');
    expect(mail.text).toMatch(/gäller i 15 minuter och kan användas en gång/);
    expect(mail.text).toMatch(/Bad du inte om att logga in\?/);
  });
});
