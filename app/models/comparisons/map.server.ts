import fs from 'node:fs';
import path from 'node:path';
import { geoArea, geoPath, geoTransverseMercator, type GeoPermissibleObjects } from 'd3-geo';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { getCodebook, getSurvey } from '../surveys/surveys.server';
import { GRANT_STATUS_LABELS, ComparisonError } from './compute.server';
import { PALETTE } from './chart.server';

/**
 * Kommun choropleth maps (source 003 Figur 4): any per-kommun categorical value, e.g. a grant
 * status in a year or a single-choice answer, drawn with d3-geo from db/reference/kommuner.geojson
 * (read at run time, projected once per process).
 */

export type MapSource = { kind: 'grant'; program: string; year: number } | { kind: 'question'; survey: string; question: string };

export interface MapCategory {
  key: string;
  label: string;
  color: string;
  count: number;
}

export interface KommunMap {
  title: string;
  svg: string;
  categories: MapCategory[];
  /** Per kommun, for the text alternative: code, name, category label. */
  rows: { code: string; name: string; value: string }[];
}

const WIDTH = 320;
const HEIGHT = 700;
const MISSING = { key: 'saknas', label: 'Uppgift saknas', color: '#d9d9d9' };

interface Shape {
  code: string;
  name: string;
  d: string;
}
let shapes: Shape[] | undefined;

interface GeoFeature {
  properties: { id: string; kom_namn: string };
  geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
}

function rewind(geometry: GeoFeature['geometry']) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons) for (const ring of polygon) ring.reverse();
}

function kommunShapes(): Shape[] {
  if (shapes) return shapes;
  const file = path.resolve(process.env.KOMMUNER_GEOJSON ?? 'db/reference/kommuner.geojson');
  const geo = JSON.parse(fs.readFileSync(file, 'utf8')) as { features: GeoFeature[] };
  // GeoJSON (RFC 7946) winds outer rings counter-clockwise; d3-geo reads that as "everything
  // but the kommun". Reverse the rings of any feature whose area exceeds a hemisphere.
  for (const f of geo.features) if (geoArea(f as unknown as GeoPermissibleObjects) > 2 * Math.PI) rewind(f.geometry);
  // Sweden's national grid (SWEREF 99 TM) is a transverse Mercator centred on 15° E.
  const projection = geoTransverseMercator().rotate([-15, 0]).fitSize([WIDTH, HEIGHT], geo as unknown as GeoPermissibleObjects);
  const pathOf = geoPath(projection).digits(1);
  shapes = geo.features.map((f) => ({ code: f.properties.id, name: f.properties.kom_namn, d: pathOf(f as unknown as GeoPermissibleObjects) ?? '' }));
  return shapes;
}

async function valuesOf(db: Kysely<Database>, source: MapSource): Promise<{ byCode: Map<string, string>; options: { key: string; label: string }[]; title: string }> {
  if (source.kind === 'grant') {
    const rows = await db
      .selectFrom('grants as g')
      .innerJoin('organisations as o', 'o.id', 'g.organisation_id')
      .select(['o.code', 'g.status'])
      .where('g.program', '=', source.program)
      .where('g.year', '=', source.year)
      .where('o.kind', '=', 'kommun')
      .execute();
    if (rows.length === 0)
      throw new ComparisonError(`No grant data for program "${source.program}" in ${source.year}`, `Det finns inga uppgifter om medel "${source.program}" för ${source.year}`);
    return {
      byCode: new Map(rows.map((r) => [r.code, r.status])),
      options: Object.entries(GRANT_STATUS_LABELS).map(([key, label]) => ({ key, label })),
      title: `${source.year}`,
    };
  }
  const survey = getSurvey(source.survey);
  if (!survey) throw new ComparisonError(`Unknown survey "${source.survey}"`, `Enkäten "${source.survey}" finns inte`);
  const entry = getCodebook(survey).find((e) => e.key === source.question && (e.kind === 'single' || e.kind === 'boolean'));
  if (!entry) throw new ComparisonError(`No single choice question "${source.question}"`, `Enkelvalsfrågan "${source.question}" finns inte`);
  const rows = await db
    .selectFrom('answer_values as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['o.code', 'a.value'])
    .where('a.survey_id', '=', source.survey)
    .where('a.question', '=', source.question)
    .where('o.kind', '=', 'kommun')
    .execute();
  return {
    byCode: new Map(rows.map((r) => [r.code, r.value ?? ''])),
    options: (entry.options ?? [{ value: 'true', label: 'Ja' }, { value: 'false', label: 'Nej' }]).map((o) => ({ key: String(o.value), label: o.label })),
    title: survey.meta.title,
  };
}

/** Renders one map; `colors` fixes category colours across several maps. */
export async function kommunMap(db: Kysely<Database>, source: MapSource): Promise<KommunMap> {
  const { byCode, options, title } = await valuesOf(db, source);
  const categories: MapCategory[] = options.map((o, i) => ({ ...o, color: PALETTE[i % PALETTE.length], count: 0 }));
  const missing: MapCategory = { ...MISSING, count: 0 };
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const rows: KommunMap['rows'] = [];
  const paths = kommunShapes().map((s) => {
    const cat = categories.find((c) => c.key === byCode.get(s.code)) ?? missing;
    cat.count++;
    rows.push({ code: s.code, name: s.name, value: cat.label });
    return `<path d="${s.d}" fill="${cat.color}" data-kommun="${s.code}"><title>${esc(`${s.name}: ${cat.label}`)}</title></path>`;
  });
  const all = missing.count ? [...categories, missing] : categories;
  const summary = all.map((c) => `${c.label} ${c.count}`).join(', ');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${esc(`Karta ${title}: ${summary}`)}">` +
    `<title>${esc(`Karta ${title}`)}</title><g stroke="#ffffff" stroke-width="0.3">${paths.join('')}</g></svg>`;
  return { title, svg, categories: all, rows };
}
