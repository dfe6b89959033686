import { sql, type Kysely } from 'kysely';
import type { Database, OrganisationKind } from '../../../db/schema';
import { KIND_LABELS } from '../../utils/organisation-kinds';
import { percentOf, type GroupResult, type PeriodResult } from './assemble';
import type { ComparisonDefinition } from './definition';
import { ComparisonError } from './errors';
import type { ComparisonResult } from './result';
import { describePolicy, type FigurePolicy } from './policy';

/**
 * Money in the grant ledger (table grants: allocated_sek, used_sek, repaid_sek), as source 003
 * publishes it in Tabell 2, 6 and Bilaga 1 Tabell 1: per year and recipient type the sums of
 * allocated, used and repaid kronor and the share used as a ratio of sums (never a mean of
 * shares), plus a grand total. n is the recipients that requested (status other than
 * ej_rekvirerat); missing is the active organisations of the type without a ledger row.
 * Years under review are flagged (definition `provisionalYears`).
 */

const n = (v: unknown) => Number(v ?? 0);

interface Sums {
  requested: number;
  rows: number;
  allocated: number;
  used: number;
  repaid: number;
}
const zero = (): Sums => ({ requested: 0, rows: 0, allocated: 0, used: 0, repaid: 0 });
const add = (a: Sums, b: Sums): Sums => ({
  requested: a.requested + b.requested,
  rows: a.rows + b.rows,
  allocated: a.allocated + b.allocated,
  used: a.used + b.used,
  repaid: a.repaid + b.repaid,
});

export async function computeMoney(db: Kysely<Database>, def: ComparisonDefinition): Promise<ComparisonResult> {
  const m = def.measure;
  if (!('money' in m)) throw new Error('not a money measure');
  const program = m.money.program;
  const kinds = (m.money.recipients ?? [def.population.kind]) as OrganisationKind[];
  const byKind = kinds.length > 1 || m.money.recipients !== undefined;
  const ledgerYears = (await db.selectFrom('grants').select('year').distinct().where('program', '=', program).orderBy('year').execute()).map((r) => r.year);
  const years = def.years ?? ledgerYears;
  if (years.length === 0 || !years.some((y) => ledgerYears.includes(y)))
    throw new ComparisonError(`No grant data for program "${program}"`, `Det finns inga uppgifter om medel "${program}"`);

  const rows = await sql<{ kind: string; year: number; requested: number; rows: number; allocated: number; used: number; repaid: number }>`
    select o.kind as kind, g.year as year,
      sum(case when g.status <> 'ej_rekvirerat' then 1 else 0 end) as requested, count(*) as rows,
      sum(g.allocated_sek) as allocated, sum(g.used_sek) as used, sum(g.repaid_sek) as repaid
    from grants g join organisations o on o.id = g.organisation_id
    where g.program = ${program} and g.year in (${sql.join(years)}) and o.kind in (${sql.join(kinds)})
    group by o.kind, g.year`.execute(db);
  const population = await db
    .selectFrom('organisations')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('c')])
    .where('kind', 'in', kinds)
    .where('active', '=', 1)
    .groupBy('kind')
    .execute();
  const members = new Map(population.map((p) => [p.kind as string, n(p.c)]));
  const cell = new Map(rows.rows.map((r) => [`${r.kind}|${n(r.year)}`, { requested: n(r.requested), rows: n(r.rows), allocated: n(r.allocated), used: n(r.used), repaid: n(r.repaid) }]));

  const precision = def.precision ?? 0;
  const provisional = new Set(def.provisionalYears ?? []);
  const group = (key: string, label: string, s: Sums, people: number, flagged: boolean): GroupResult => ({
    key,
    label,
    n: s.requested,
    missing: Math.max(0, people - s.rows),
    counts: {},
    percent: {},
    suppressed: false,
    money: { allocated: s.allocated, used: s.used, repaid: s.repaid, share: percentOf(s.used, s.allocated, precision), provisional: flagged },
  });
  let grand = zero();
  let everyone = 0;
  const periods: PeriodResult[] = years.map((year) => {
    const flagged = provisional.has(year);
    let sum = zero();
    const groups = kinds.map((kind) => {
      const s = cell.get(`${kind}|${year}`) ?? zero();
      sum = add(sum, s);
      return group(kind, KIND_LABELS[kind].many, s, members.get(kind) ?? 0, flagged);
    });
    grand = add(grand, sum);
    const people = kinds.reduce((a, k) => a + (members.get(k) ?? 0), 0);
    everyone += people;
    const total = group('totalt', byKind ? 'Totalt' : KIND_LABELS[kinds[0]].many, sum, people, flagged);
    return { key: String(year), label: `${year}${flagged ? '*' : ''}`, groups: byKind ? groups : [], total, test: null };
  });
  const grandTotal = group('summa', 'Summa', grand, everyone, provisional.size > 0 && years.some((y) => provisional.has(y)));
  const p: Omit<FigurePolicy, 'notes'> = {
    suppressBelow: 0,
    suppressionSource: 'organisations',
    precision,
    ...(def.provisionalYears ? { provisionalYears: def.provisionalYears } : {}),
  };
  const notes = describePolicy(p, 'organisations').filter((l) => !l.startsWith('Andelar'));
  notes.splice(1, 0, `Belopp i hela kronor. Andelen förbrukade medel är summan förbrukat delad med summan fördelat${precision ? `, med ${precision} decimal${precision > 1 ? 'er' : ''}` : ', i hela procent'}.`);
  const last = periods[periods.length - 1];
  return {
    title: def.title,
    description: def.description,
    source: def.source ?? `medelsregistret (${program})`,
    note: 'Descriptive summary of the grant ledger.',
    measure: { kind: 'money', label: `Medel ${program}` },
    grouping: { kind: byKind ? 'attribute' : 'none', label: byKind ? 'Mottagare' : 'Riket' },
    values: [],
    groups: last.groups,
    total: last.total,
    test: null,
    periods: periods.length > 1 ? periods : undefined,
    grandTotal,
    suppressBelow: 0,
    precision,
    policy: { ...p, notes },
    population: kinds.join(','),
  };
}
