import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loader as exportLoader } from '../../app/routes/jamfor.$id.export';
import { action as builderAction, loader as builderLoader } from '../../app/routes/jamfor.ny';
import { loader as figureLoader } from '../../app/routes/jamfor.$id';
import { loader as mapLoader } from '../../app/routes/jamfor.karta';
import { setDb } from '../../app/utils/db.server';
import { signedIn, type TestSession } from '../auth/helpers';
import { freshDb, type TestDb } from '../helpers/db';
import { callAction, callLoader } from '../helpers/request';
import { loadFixture, PROGRAM } from './fixtures';

describe('/jamfor routes', () => {
  let t: TestDb;
  let evaluator: TestSession;
  beforeAll(async () => {
    t = await freshDb();
    setDb(t.db);
    await loadFixture(t);
    evaluator = await signedIn(t.db, 'evaluator');
    return () => t.destroy();
  });

  it('refuses respondents (403) and sends strangers to sign in', async () => {
    const respondent = await signedIn(t.db, 'respondent');
    const forbidden = (await callLoader(builderLoader, '/jamfor/ny', { headers: respondent.headers })) as Response;
    expect(forbidden.status).toBe(403);
    const anonymous = (await callLoader(builderLoader, '/jamfor/ny')) as Response;
    expect(anonymous.status).toBe(302);
  });

  it('the builder previews a comparison and reports missing choices in Swedish', async () => {
    const params = `enkat=oj-vinr-2019&fraga=fortbildning_vuxna&grupp=grant&gprogram=${PROGRAM}&gar=2018&slaihop=1&undertryck=5`;
    const data = (await callLoader(builderLoader, `/jamfor/ny?${params}`, { headers: evaluator.headers })) as Awaited<ReturnType<typeof builderLoader>>;
    expect(data.preview?.result.groups.map((g) => g.key)).toEqual(['Använt', 'Inte använt']);
    expect(data.preview?.svg).toMatch(/^<svg[^>]*role="img"/);
    const incomplete = (await callLoader(builderLoader, '/jamfor/ny?enkat=oj-vinr-2019&grupp=grant&undertryck=abc', { headers: evaluator.headers })) as Awaited<
      ReturnType<typeof builderLoader>
    >;
    expect(incomplete.errors).toMatchObject({ undertryck: 'Ange ett heltal 0–100.' });
    const noQuestion = (await callLoader(builderLoader, '/jamfor/ny?enkat=oj-vinr-2019&grupp=grant', { headers: evaluator.headers })) as Awaited<ReturnType<typeof builderLoader>>;
    expect(noQuestion.errors).toMatchObject({ fraga: 'Välj en fråga.', gprogram: 'Välj program för uppdelningen.', gar: 'Välj år för uppdelningen.' });
  });

  it('saves a comparison (with CSRF) and serves the figure, CSV, XLSX, SVG and PNG', async () => {
    const form = { csrf: evaluator.csrf, enkat: 'oj-vinr-2019', fraga: 'plan_kompetensutveckling', grupp: 'grant', gprogram: PROGRAM, gar: '2018', slaihop: '1', undertryck: '5', titel: 'Samlad plan' };
    const refused = (await callAction(builderAction, '/jamfor/ny', { headers: evaluator.headers, form: { ...form, csrf: 'wrong' } })) as Response;
    expect(refused.status).toBe(403);
    const saved = (await callAction(builderAction, '/jamfor/ny', { headers: evaluator.headers, form })) as Response;
    expect(saved.status).toBe(302);
    const id = saved.headers.get('Location')!.split('/').pop()!;
    const page = (await callLoader(figureLoader, `/jamfor/${id}`, { params: { id }, headers: evaluator.headers })) as Awaited<ReturnType<typeof figureLoader>>;
    expect(page.title).toBe('Samlad plan');
    expect(page.chart?.result.groups[0]).toMatchObject({ key: 'Använt', n: 250, counts: { ja: 125, nej: 125 } });
    for (const [format, type] of [
      ['csv', 'text/csv'],
      ['xlsx', 'application/vnd.openxmlformats'],
      ['svg', 'image/svg+xml'],
    ]) {
      const res = (await callLoader(exportLoader, `/jamfor/${id}/export?format=${format}`, { params: { id }, headers: evaluator.headers })) as Response;
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toContain(type);
      expect(res.headers.get('Content-Disposition')).toContain(`.${format}`);
    }
    // The PNG is the standalone SVG figure rasterised on the server at twice its size.
    const get = async (format: string) => (await callLoader(exportLoader, `/jamfor/${id}/export?format=${format}`, { params: { id }, headers: evaluator.headers })) as Response;
    const svgHeight = Number(/^<svg[^>]* height="(\d+)"/.exec(await (await get('svg')).text())![1]);
    const pngRes = await get('png');
    expect(pngRes.status).toBe(200);
    expect(pngRes.headers.get('Content-Type')).toBe('image/png');
    expect(pngRes.headers.get('Content-Disposition')).toBe(`attachment; filename="${id}.png"`);
    const bytes = Buffer.from(await pngRes.arrayBuffer());
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const image = PNG.sync.read(bytes);
    expect([image.width, image.height]).toEqual([760 * 2, svgHeight * 2]);
    let bar = 0;
    let ink = 0;
    for (let i = 0; i < image.data.length; i += 4) {
      const [r, g, b] = image.data.subarray(i, i + 3);
      if (r === 0x00 && g === 0x72 && b === 0xb2) bar++; // the first series' colour
      else if (r < 90 && g < 90 && b < 90) ink++; // text, axes
    }
    expect(bar).toBeGreaterThan(10_000);
    expect(ink).toBeGreaterThan(5_000);
    const bad = (await callLoader(exportLoader, `/jamfor/${id}/export?format=pdf`, { params: { id }, headers: evaluator.headers })) as Response;
    expect(bad.status).toBe(400);
    const missing = (await callLoader(figureLoader, '/jamfor/db-99999', { params: { id: 'db-99999' }, headers: evaluator.headers })) as Response;
    expect(missing.status).toBe(404);
  });

  it('the map page draws 290 kommuner per year and counts them in the legend', async () => {
    const data = (await callLoader(mapLoader, `/jamfor/karta?program=${PROGRAM}&ar=2014&ar=2018`, { headers: evaluator.headers })) as Awaited<ReturnType<typeof mapLoader>>;
    expect(data.maps.map((m) => m.heading)).toEqual(['Status 2014', 'Status 2018']);
    expect(data.maps[0].map.categories.map((c) => c.count)).toEqual([219, 70, 1]);
    expect((data.maps[1].map.svg.match(/<path /g) ?? []).length).toBe(290);
  });
});
