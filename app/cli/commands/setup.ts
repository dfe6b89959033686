import { migrateToLatest } from '../../../db/migrate';
import { loadReferenceData } from '../../../db/seed/reference';
import { getSurveys } from '../../models/surveys/surveys.server';
import type { Command } from '../command';

export const setup: Command = {
  name: 'setup',
  summary: 'Migrate the database to the latest version and load reference organisations',
  help: `Usage: npm run cli -- setup [--demo-if-empty]

Migrates the database named by DATABASE_URL to the latest schema and loads the reference
organisations (21 län, 290 kommuner, 21 regioner, 21 länsstyrelser). Safe to run again.

Options:
  --demo-if-empty  Also load demo data (rounds, answers, grants) when the database has none.`,
  options: { 'demo-if-empty': { type: 'boolean' } },
  async run(ctx) {
    // Fails with the file name and problem when a survey file is broken (message via UserError path).
    ctx.out(`Surveys: ${getSurveys().length} instruments checked.`);
    const db = ctx.db();
    const applied = await migrateToLatest(db);
    ctx.out(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date.');
    const loaded = await loadReferenceData(db);
    ctx.out(`Reference data: ${loaded.lan} län, ${loaded.organisations} organisations.`);
    if (ctx.values['demo-if-empty']) {
      const { loadDemoDataIfEmpty } = await import('../../../db/seed/demo');
      const message = await loadDemoDataIfEmpty(db);
      ctx.out(message);
    }
  },
};
