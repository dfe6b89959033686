import { PassThrough } from 'node:stream';
import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { EXPORT_CONTENT_TYPES, ExportError, exportFileName, resolveExportScope, writeExport } from '~/models/exports/export.server';
import { CSV_DIALECTS } from '~/models/exports/writers.server';
import { requireUser } from '~/utils/auth.server';
import { getDb } from '~/utils/db.server';
import { positiveId } from '~/utils/route-params';
import { logger } from '~/utils/logger.server';

const querySchema = z.object({
  format: z.enum(['csv', 'xlsx'], { error: 'Okänt filformat. Välj format=xlsx (Excel) eller format=csv.' }).default('xlsx'),
  dialect: z.enum(CSV_DIALECTS, { error: 'Okänd CSV-variant. Välj dialect=rfc4180 (komma) eller dialect=excel-sv (semikolon och decimalkomma).' }).default('rfc4180'),
  labels: z.enum(['1', '0']).catch('0'),
});

/**
 * GET /admin/omgangar/:id/export?format=csv|xlsx[&dialect=excel-sv][&labels=1]: every response of the round in
 * wide format, streamed as it is written (the file can be larger than we want in memory).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ['admin']);
  const id = positiveId(params.id);
  const db = getDb();
  let scope;
  try {
    scope = id ? await resolveExportScope(db, { roundId: id }) : undefined;
  } catch (e) {
    if (!(e instanceof ExportError)) throw e;
  }
  if (!scope) throw new Response('Omgången finns inte.', { status: 404 });
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    throw new Response(parsed.error.issues.map((i) => i.message).join(' '), { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  }
  const q = parsed.data;
  const labels = q.labels === '1';
  const body = new PassThrough();
  writeExport(db, scope, { format: q.format, dialect: q.dialect, labels }, body).catch((e: unknown) => {
    // Headers are already sent: cut the download off so it cannot pass for a complete file.
    logger.error({ err: e, roundId: id }, 'export failed');
    body.destroy(e as Error);
  });
  return new Response(createReadableStreamFromReadable(body), {
    headers: {
      'Content-Type': EXPORT_CONTENT_TYPES[q.format],
      'Content-Disposition': `attachment; filename="${exportFileName(scope, q.format, labels)}"`,
      'Cache-Control': 'no-store',
    },
  });
}
