import type { LoaderFunctionArgs } from '@remix-run/node';
import { allocationXlsx } from '~/models/grants/allocation-export.server';
import { listLedger } from '~/models/grants/ledger.server';
import { getYear } from '~/models/grants/programs.server';
import { requireUser } from '~/utils/auth.server';
import { getDb } from '~/utils/db.server';
import { positiveId } from '~/utils/route-params';

/** GET /admin/medel/:yearId/fordelning.xlsx: the allocation table with its sum and rule. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ['admin']);
  const id = positiveId(params.yearId);
  const year = id ? await getYear(getDb(), id) : undefined;
  if (!year) throw new Response('Året finns inte.', { status: 404 });
  const body = await allocationXlsx(year, await listLedger(getDb(), year.id));
  return new Response(new Uint8Array(body), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="fordelning-${year.program_code}-${year.year}-${year.recipient_kind}.xlsx"`,
      'Cache-Control': 'no-store',
    },
  });
}
