import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer } from '~/models/mail/mailer.server';
import { startSmtp, type TestSmtp } from './smtp-helper';

describe('the test SMTP server', () => {
  let smtp: TestSmtp;
  beforeAll(async () => (smtp = await startSmtp()));
  afterAll(async () => smtp.close());

  it('receives mail from the app mailer, with Swedish subject and text decoded', async () => {
    const mailer = smtpMailer(smtp.url, 'Enkätnav <noreply@test.se>');
    await mailer.send({ to: 'a@kommun.se, b@kommun.se', subject: 'Påminnelse: ÖJ 2019 – svara senast 15 mars', text: 'Hej Åsa!\nLänk: https://x.se/svar/abc', html: '<p>Hej</p>' });
    mailer.close();
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].to).toEqual(['a@kommun.se', 'b@kommun.se']);
    expect(smtp.received[0].subject).toBe('Påminnelse: ÖJ 2019 – svara senast 15 mars');
    expect(smtp.received[0].text).toContain('Hej Åsa!');
    expect(smtp.received[0].text).toContain('https://x.se/svar/abc');
  });

  it('refuses with 451 or 550 when told to', async () => {
    const mailer = smtpMailer(smtp.url, 'noreply@test.se');
    smtp.setMode('temporary-failure');
    await expect(mailer.send({ to: 'a@kommun.se', subject: 's', text: 't' })).rejects.toThrow(/451/);
    smtp.setMode('permanent-failure');
    await expect(mailer.send({ to: 'a@kommun.se', subject: 's', text: 't' })).rejects.toThrow(/550/);
    smtp.setMode('accept');
    mailer.close();
  });
});
