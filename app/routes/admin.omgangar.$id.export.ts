import { PassThrough } from 'node:stream';
import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { EXPORT_CONTENT_TYPES, ExportError, exportFileName, resolveExportScope, writeExport } from '~/models/exports/export.server';
import { requireUser } from '~/utils/auth.server';
import { getDb } from '~/utils/db.server';
import { logger } from '~/utils/logger.server';

const querySchema = z.object({
  format: z.enum(['csv', 'xlsx']).catch('xlsx'),
  labels: z.enum(['1', '0']).catch('0'),
});

/**
 * GET /admin/omgangar/:id/export?format=csv|xlsx[&labels=1]: every response of the round in
 * wide format, streamed as it is written (the file can be larger than we want in memory).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ['admin']);
  const id = Number(params.id);
  const db = getDb();
  let scope;
  try {
    scope = Number.isInteger(id) && id > 0 ? await resolveExportScope(db, { roundId: id }) : undefined;
  } catch (e) {
    if (!(e instanceof ExportError)) throw e;
  }
  if (!scope) throw new Response('Omgången finns inte.', { status: 404 });
  const q = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const labels = q.labels === '1';
  const body = new PassThrough();
  writeExport(db, scope, { format: q.format, labels }, body).catch((e: unknown) => {
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
