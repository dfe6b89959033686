import type { LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { STATUS_LABELS } from '~/utils/admin-labels';
import { missingList } from '~/models/rounds/status.server';
import { missingListCsv, missingListXlsx } from '~/models/rounds/missing-list.server';
import { getRound } from '~/models/rounds/rounds.server';
import { requireUser } from '~/utils/auth.server';
import { getDb } from '~/utils/db.server';
import { positiveId } from '~/utils/route-params';

const querySchema = z.object({
  format: z.enum(['csv', 'xlsx']).catch('xlsx'),
  lan: z.string().regex(/^(\d{2}|none)$/).optional().catch(undefined),
  kg: z.string().regex(/^([A-C]\d|none)$/).optional().catch(undefined),
});

/**
 * GET /admin/omgangar/:id/saknade?format=csv|xlsx[&lan=01][&kg=A2]: the missing list (every
 * assignment not submitted) with contacts, for phoning. Cells are formula-safe.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ['admin']);
  const id = positiveId(params.id);
  const round = id ? await getRound(getDb(), id) : undefined;
  if (!round) throw new Response('Omgången finns inte.', { status: 404 });
  const search = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ''));
  const q = querySchema.parse(search);
  const rows = await missingList(getDb(), round.id, { lan: q.lan, kg: q.kg });
  const name = `saknade-svar-omgang-${round.id}-${new Date().toISOString().slice(0, 10)}.${q.format}`;
  const headers = {
    'Content-Disposition': `attachment; filename="${name}"`,
    'Cache-Control': 'no-store',
  };
  if (q.format === 'csv') {
    return new Response(missingListCsv(rows, STATUS_LABELS), { headers: { ...headers, 'Content-Type': 'text/csv; charset=utf-8' } });
  }
  const body = await missingListXlsx(rows, STATUS_LABELS, round.title);
  return new Response(new Uint8Array(body), { headers: { ...headers, 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
}
