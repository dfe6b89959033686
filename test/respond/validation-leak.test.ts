/**
 * Issue 17 §1 over HTTP: on a survey with a dynamic matrix, the verdict of the real submit
 * endpoint for `{}` must not depend on what another kommun submitted before.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { action as submitAction } from '~/routes/svar.$token.skicka';
import { setDb } from '~/utils/db.server';
import { freshDb, type TestDb } from '../helpers/db';
import { callAction } from '../helpers/request';
import { openRound } from './helpers';

const ID = 'lacka-2020';
const meta = { id: ID, family: 'lacka', year: 2020, title: 'Läcktest', audience: ['kommun'], description: 'Test', defaultDeadline: '05-31', source: 'test' };
const forms = {
  matrixdynamic: { elements: [{ type: 'matrixdynamic', name: 'm', rowCount: 2, columns: [{ name: 'a', cellType: 'text', isRequired: true }] }] },
  paneldynamic: { elements: [{ type: 'paneldynamic', name: 'm', panelCount: 2, templateElements: [{ name: 'a', type: 'text', isRequired: true }] }] },
};

const submit = (token: string, data: unknown) => callAction(submitAction, `/svar/${token}/skicka`, { params: { token }, json: { baseVersion: 0, data, submittedBy: 'Anna' } }) as Promise<Response>;

for (const [type, survey] of Object.entries(forms)) {
  describe(`submit endpoint, ${type}: the verdict does not depend on the previous request`, () => {
    let t: TestDb;
    let dir: string;
    const before = process.env.SURVEYS_DIR;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enkatnav-leak-'));
      fs.writeFileSync(path.join(dir, `${ID}.json`), JSON.stringify({ meta, survey }));
      process.env.SURVEYS_DIR = dir;
    });
    afterAll(() => {
      if (before === undefined) delete process.env.SURVEYS_DIR;
      else process.env.SURVEYS_DIR = before;
      fs.rmSync(dir, { recursive: true, force: true });
    });
    beforeEach(async () => {
      t = await freshDb();
      setDb(t.db);
    });
    afterEach(async () => t.destroy());

    it('the same answers get the same status whatever another kommun sent before', async () => {
      const tokens = (await openRound(t.db, ID, ['0180', '2584', '1280', '1480'])).assignments.map((a) => a.token);
      // B's answers are ones that changed the pooled model's row/panel count; survey-core says:
      // an empty matrix list has no rows (passes), an empty panel list keeps the two panels (fails).
      const b = type === 'matrixdynamic' ? { m: [] } : { m: [{ a: 'x' }, { a: 'y' }, { a: 'z' }] };
      const d = type === 'matrixdynamic' ? { m: [{ a: 'x' }] } : { m: [] };
      const statuses: number[] = [];
      for (const [i, data] of [{}, b, {}, d].entries()) {
        const res = await submit(tokens[i], data);
        statuses.push(res.status);
        if (res.status === 400) expect((await res.json()).error).toBeTruthy();
      }
      expect(statuses).toEqual(type === 'matrixdynamic' ? [400, 200, 400, 200] : [400, 200, 400, 400]);
    });
  });
}
