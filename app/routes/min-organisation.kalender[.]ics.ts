import type { LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { inboxCalendar, organisationInbox, userForFeedToken } from '~/models/responses/inbox.server';
import { appBaseUrl, getUser } from '~/utils/auth.server';
import { getDb } from '~/utils/db.server';

const querySchema = z.object({ token: z.string().max(200).optional() });
const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });

/**
 * The organisation's deadlines as iCalendar. Calendar apps send no cookies, so the secret
 * `?token=` from /min-organisation identifies the user; without one, the signed-in session does.
 * Anything wrong answers 404, so the URL tells nothing about which users exist.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const query = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return notFound();
  const user = query.data.token !== undefined ? await userForFeedToken(db, query.data.token) : await getUser(request);
  if (!user || user.role !== 'respondent' || user.organisation_id === null) return notFound();
  const baseUrl = appBaseUrl(request);
  const inbox = await organisationInbox(db, user.organisation_id, { baseUrl });
  if (!inbox) return notFound();
  return new Response(inboxCalendar(inbox, baseUrl), {
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': 'inline; filename="enkatnav-sista-svarsdagar.ics"',
      'Cache-Control': 'private, no-store',
      'Referrer-Policy': 'no-referrer',
    },
  });
}
