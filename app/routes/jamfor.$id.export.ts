import type { LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { downloadChartSvg } from '~/models/comparisons/chart-download.server';
import { downloadChartPng } from '~/models/comparisons/chart-png.server';
import { ComparisonError, computeComparison } from '~/models/comparisons/compute.server';
import { NOTE_SV } from '~/models/comparisons/labels';
import { tableCsv, tableXlsx } from '~/models/comparisons/export.server';
import { getComparisonDefinition } from '~/models/comparisons/saved.server';
import { requireUser } from '~/utils/auth.server';
import { getDb } from '~/utils/db.server';

const querySchema = z.object({ format: z.enum(['svg', 'png', 'csv', 'xlsx']) });
const text = (body: string, status: number) => new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

const TYPES = {
  svg: 'image/svg+xml; charset=utf-8',
  png: 'image/png',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Downloads a comparison's chart (SVG, or PNG rasterised on the server) or table (CSV, XLSX). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ['evaluator', 'admin']);
  const query = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return text('Okänt format: välj svg, png, csv eller xlsx.', 400);
  const id = params.id ?? '';
  const def = await getComparisonDefinition(getDb(), id);
  if (!def) return text('Jämförelsen finns inte.', 404);
  let result;
  try {
    result = await computeComparison(getDb(), def);
  } catch (e) {
    if (e instanceof ComparisonError) return text(e.sv, 422);
    throw e;
  }
  const { format } = query.data;
  const body =
    format === 'svg'
      ? downloadChartSvg(result)
      : format === 'png'
        ? new Uint8Array(await downloadChartPng(result))
        : format === 'csv'
          ? `\uFEFF${tableCsv(result)}`
          : new Uint8Array(await tableXlsx(result, `Källa: ${result.source}`, NOTE_SV));
  return new Response(body, {
    headers: {
      'Content-Type': TYPES[format],
      'Content-Disposition': `attachment; filename="${id.replace(/[^a-z0-9-]/gi, '_')}.${format}"`,
      'Cache-Control': 'no-store',
    },
  });
}
