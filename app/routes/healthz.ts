import { sql } from 'kysely';
import { getDb } from '~/utils/db.server';
import { logger } from '~/utils/logger.server';

export async function loader() {
  try {
    await sql`select 1`.execute(getDb());
    return Response.json({ ok: true }, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    logger.error({ err: error }, 'health check failed');
    return Response.json({ ok: false }, { status: 503, headers: { 'Cache-Control': 'no-store' } });
  }
}
