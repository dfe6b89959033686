import type { LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { ORGANISATION_KINDS } from '../../db/schema';
import { parseCodes, selectTargets } from '~/models/rounds/admin.server';
import { requireUser } from '~/utils/auth.server';
import { getDb } from '~/utils/db.server';

const querySchema = z.object({
  kind: z.enum(ORGANISATION_KINDS).optional().catch(undefined),
  lan: z.array(z.string().regex(/^\d{2}$/)).catch([]),
  kg: z.array(z.string().regex(/^[A-C]\d$/)).catch([]),
  codes: z.string().max(100_000).catch(''),
  targetMode: z.enum(['filter', 'codes']).catch('filter'),
});

/**
 * GET /admin/omgangar/mottagare?kind=kommun&lan=01&lan=03 → { count, unknownCodes, sample }:
 * the live count of chosen organisations on the new-round form. Read-only.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['admin']);
  const params = new URL(request.url).searchParams;
  const q = querySchema.parse({
    kind: params.get('kind') || undefined,
    lan: params.getAll('lan'),
    kg: params.getAll('kg'),
    codes: params.get('codes') ?? '',
    targetMode: params.get('targetMode') ?? 'filter',
  });
  const choice = q.targetMode === 'codes' ? { codes: parseCodes(q.codes) } : { kind: q.kind, lan: q.lan, kg: q.kg };
  if (q.targetMode === 'codes' && choice.codes!.length === 0) return Response.json({ count: 0, unknownCodes: [], sample: [] }, { headers: { 'Cache-Control': 'no-store' } });
  const selection = await selectTargets(getDb(), choice);
  return Response.json(
    { count: selection.organisations.length, unknownCodes: selection.unknownCodes, sample: selection.organisations.slice(0, 8).map((o) => o.name) },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}
