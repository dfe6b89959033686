import fs from 'node:fs/promises';
import { ComparisonError, computeComparison } from '../../models/comparisons/compute.server';
import { tableCsv } from '../../models/comparisons/export.server';
import { DefinitionError, parseDefinition } from '../../models/comparisons/saved.server';
import { UserError, stringOption, type Command } from '../command';

export const compareCommand: Command = {
  name: 'compare',
  readsSurveys: true,
  summary: 'Compute a comparison from a definition file',
  help: `Usage: npm run cli -- compare <definition.json> [--format json|csv]

Computes the comparison described by a definition file (see surveys/comparisons/*.json):
per group and for Riket, n (answered), missing (no answer or no submitted response), counts
and percent per value at "precision" decimals (0 by default for organisations, 1 for persons;
numeric questions: mean, median, sum and with "ratioTo" a ratio of sums), small-cell
suppression below "suppressBelow" (default: none for organisations, 5 for person surveys),
a multiple-choice "base" (answered | chose), money measures ({ "money": { "program" } }: sums
in kronor and the share used), and a chi-square or Fisher test as a guide. "policy.notes" says
all of this in Swedish; trends give "change" in percentage points.
JSON (default): { title, groups: [{ key, label, n, missing, counts, percent, suppressed }],
total, test: { method, p } | null, … }. CSV: one row per group (and period), Riket last.`,
  options: { format: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const format = stringOption(ctx, 'format') ?? 'json';
    if (format !== 'json' && format !== 'csv') throw new UserError('--format must be json or csv', 2);
    let text: string;
    try {
      text = await fs.readFile(ctx.positionals[0], 'utf8');
    } catch {
      throw new UserError(`Cannot read file ${ctx.positionals[0]}`);
    }
    try {
      const result = await computeComparison(ctx.db(), parseDefinition(text));
      ctx.out(format === 'csv' ? tableCsv(result).trimEnd() : JSON.stringify(result, null, 2));
    } catch (e) {
      if (e instanceof DefinitionError) throw new UserError(e.message);
      if (e instanceof ComparisonError) throw new UserError(e.en);
      throw e;
    }
  },
};
