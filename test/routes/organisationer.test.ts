import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loader as healthz } from '~/routes/healthz';
import { loader } from '~/routes/organisationer';
import { setDb } from '~/utils/db.server';
import { freshDb, type TestDb } from '../helpers/db';
import { callLoader } from '../helpers/request';

describe('/organisationer loader', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
    setDb(t.db);
  });
  afterEach(async () => t.destroy());

  it('lists every active organisation by default', async () => {
    const data = (await callLoader(loader, '/organisationer')) as Awaited<ReturnType<typeof loader>>;
    expect(data.organisations).toHaveLength(332);
    expect(data.byKind).toEqual({ kommun: 290, region: 21, lansstyrelse: 21 });
    expect(data.kommungrupper.map((g) => g.count)).toEqual([3, 43, 21, 52, 35, 29, 52, 40, 15]);
  });

  it('filters by kind, län and kommungrupp, and searches names with Swedish letters', async () => {
    const data = (await callLoader(loader, '/organisationer?kind=kommun&lan=01')) as Awaited<ReturnType<typeof loader>>;
    expect(data.organisations).toHaveLength(26);
    expect(data.organisations.every((o) => o.kind === 'kommun' && o.lan_code === '01')).toBe(true);

    const a1 = (await callLoader(loader, '/organisationer?kg=A1')) as Awaited<ReturnType<typeof loader>>;
    expect(a1.organisations.map((o) => o.name).sort()).toEqual(['Göteborg', 'Malmö', 'Stockholm']);

    const search = (await callLoader(loader, '/organisationer?q=%C3%B6ster')) as Awaited<ReturnType<typeof loader>>;
    expect(search.organisations.map((o) => o.name)).toContain('Östersund');
    const byCode = (await callLoader(loader, '/organisationer?q=0180')) as Awaited<ReturnType<typeof loader>>;
    expect(byCode.organisations.map((o) => o.name)).toEqual(['Stockholm']);
  });

  it('ignores unknown filter values instead of failing', async () => {
    const data = (await callLoader(loader, '/organisationer?kind=foretag&lan=999&kg=Z9')) as Awaited<ReturnType<typeof loader>>;
    expect(data.organisations).toHaveLength(332);
  });
});

describe('/healthz', () => {
  it('answers {"ok":true} after checking the database', async () => {
    const t = await freshDb();
    setDb(t.db);
    const res = (await callLoader(healthz, '/healthz')) as Response;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    await t.destroy();
    const down = (await callLoader(healthz, '/healthz')) as Response;
    expect(down.status).toBe(503);
  });
});
