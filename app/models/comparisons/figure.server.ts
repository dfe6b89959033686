import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { chartLegend, renderChartSvg } from './chart.server';
import { ComparisonError, computeComparison } from './compute.server';
import { definitionSchema, type ComparisonDefinition } from './definition';

/** A computed comparison with its chart, ready for a figure page. */
export async function buildFigure(db: Kysely<Database>, def: ComparisonDefinition) {
  const result = await computeComparison(db, def);
  return { result, svg: renderChartSvg(result), legend: chartLegend(result) };
}

/** Like buildFigure for an unchecked definition; problems come back as a Swedish message. */
export async function tryFigure(db: Kysely<Database>, input: unknown) {
  const parsed = definitionSchema.safeParse(input);
  if (!parsed.success) return { error: `Definitionen är ogiltig: ${parsed.error.issues.map((i) => i.path.join('.') || 'definition').join(', ')}.` };
  try {
    return { chart: await buildFigure(db, parsed.data), def: parsed.data };
  } catch (e) {
    if (e instanceof ComparisonError) return { error: e.sv };
    throw e;
  }
}
