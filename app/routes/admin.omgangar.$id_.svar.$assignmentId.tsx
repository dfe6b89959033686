import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { dateOnly, dateTime, STATUS_LABELS } from '~/utils/admin-labels';
import { CsrfInput } from '~/components/csrf-input';
import { listAudit } from '~/models/auth/audit.server';
import { listRevisions, ResponseStateError, type RevisionSummary } from '~/models/responses/history.server';
import { extendAssignmentAudited, getAssignmentDetail, parseAdminDate } from '~/models/rounds/admin.server';
import { reopenResponseAudited, restoreRevisionAudited } from '~/models/responses/reopen.server';
import { deadlineOf, getRound } from '~/models/rounds/rounds.server';
import { requireUser } from '~/utils/auth.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { getDb } from '~/utils/db.server';
import { positiveId } from '~/utils/route-params';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.assignment.name ?? data?.assignment.person_name ?? 'Svar'} – Administrera – Enkätnav` }];

async function load(params: { id?: string; assignmentId?: string }) {
  const db = getDb();
  const roundId = positiveId(params.id);
  const assignmentId = positiveId(params.assignmentId);
  const round = roundId ? await getRound(db, roundId) : undefined;
  const assignment = round && assignmentId ? await getAssignmentDetail(db, round.id, assignmentId) : undefined;
  if (!round || !assignment) throw new Response('Svaret finns inte.', { status: 404 });
  return { round, assignment };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ['admin']);
  const { round, assignment } = await load(params);
  const db = getDb();
  const [revisions, auditA, auditR] = await Promise.all([
    assignment.response_id ? listRevisions(db, assignment.response_id) : Promise.resolve([] as RevisionSummary[]),
    listAudit(db, { entity: 'assignment', entityId: assignment.id, limit: 50 }),
    assignment.response_id ? listAudit(db, { entity: 'response', entityId: assignment.response_id, limit: 50 }) : [],
  ]);
  const history = [...auditA, ...auditR]
    .sort((a, b) => b.created_at.localeCompare(a.created_at))
    .map((e) => ({ id: e.id, action: e.action, at: e.created_at, by: e.actor_email, reason: e.reason }));
  return { csrf: csrfToken(request), round: { id: round.id, title: round.title }, assignment, deadline: deadlineOf(round, assignment), revisions, history };
}

const actionSchema = () =>
  z.discriminatedUnion('intent', [
    z.object({ intent: z.literal('extend'), until: z.string() }),
    z.object({ intent: z.literal('clear-extension') }),
    z.object({ intent: z.literal('reopen'), reason: z.string().trim().min(3, 'Ange varför svaret öppnas igen (minst tre tecken).').max(1000) }),
    z.object({ intent: z.literal('restore'), version: z.coerce.number().int().min(0), reason: z.string().max(1000).optional() }),
  ]);

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ['admin']);
  const form = await request.formData();
  assertCsrf(request, form);
  const { assignment } = await load(params);
  const parsed = actionSchema().safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return Response.json({ ok: false, field: String(issue?.path[0] ?? ''), message: issue?.message ?? 'Ogiltig begäran.' }, { status: 400 });
  }
  const db = getDb();
  const actor = { id: user.id, label: user.email };
  const input = parsed.data;
  try {
    switch (input.intent) {
      case 'extend': {
        const until = parseAdminDate(input.until, 'end');
        if (!until) return Response.json({ ok: false, field: 'until', message: 'Ange datum som ÅÅÅÅ-MM-DD.' }, { status: 400 });
        await extendAssignmentAudited(db, assignment.id, until, actor);
        return { ok: true, message: `Svarstiden är förlängd till ${dateOnly(until)} för ${assignment.name ?? assignment.person_name}.` };
      }
      case 'clear-extension':
        await extendAssignmentAudited(db, assignment.id, null, actor);
        return { ok: true, message: 'Förlängningen är borttagen.' };
      case 'reopen':
        await reopenResponseAudited(db, assignment.id, input.reason, actor);
        return { ok: true, message: 'Svaret är öppnat igen och kan ändras och skickas in på nytt.' };
      case 'restore':
        if (!assignment.response_id) return Response.json({ ok: false, message: 'Det finns inget svar att återställa.' }, { status: 400 });
        await restoreRevisionAudited(db, assignment.response_id, input.version, actor, input.reason?.trim() || undefined);
        return { ok: true, message: `Version ${input.version} är återställd som en ny version.` };
    }
  } catch (e) {
    // A state that changed under us (e.g. already reopened): say so instead of failing.
    if (e instanceof ResponseStateError) return Response.json({ ok: false, message: stateMessage(e.message) }, { status: 409 });
    throw e;
  }
}

function stateMessage(english: string): string {
  if (/not submitted/.test(english)) return 'Svaret är inte inskickat, så det behöver inte öppnas igen.';
  if (/reopen it before/.test(english)) return 'Svaret är inskickat. Öppna det igen innan du återställer en version.';
  if (/has no version/.test(english)) return 'Versionen finns inte.';
  return 'Åtgärden passar inte svarets nuvarande läge. Ladda om sidan och försök igen.';
}

type ActionData = { ok: boolean; message: string; field?: string };

export default function AssignmentAdmin() {
  const { csrf, round, assignment, deadline, revisions, history } = useLoaderData<typeof loader>();
  const result = useActionData<ActionData>();
  const busy = useNavigation().state === 'submitting';
  const err = (field: string) => (result && !result.ok && result.field === field ? result.message : undefined);
  const invalid = (field: string) => (err(field) ? { 'aria-invalid': true as const, 'aria-describedby': `${field}-error` } : {});
  const name = assignment.person_name ?? assignment.name ?? assignment.person_email ?? 'Svar';
  return (
    <>
      <p>
        <Link to={`/admin/omgangar/${round.id}`}>← {round.title}</Link>
      </p>
      <h1>{name}</h1>
      {result ? (
        <p className={result.ok ? 'flash' : 'flash error'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </p>
      ) : null}
      <dl>
        <dt>Status</dt>
        <dd>
          <span className={`badge ${assignment.status}`}>{STATUS_LABELS[assignment.status]}</span>
        </dd>
        <dt>Sista svarsdag</dt>
        <dd>
          {dateOnly(deadline)}
          {assignment.extended_until ? ' (förlängd)' : ''}
        </dd>
        <dt>Senast sparad</dt>
        <dd>
          {dateTime(assignment.last_saved_at)} {assignment.last_saved_by ? `av ${assignment.last_saved_by}` : ''}
        </dd>
        <dt>Inskickad</dt>
        <dd>
          {dateTime(assignment.submitted_at)} {assignment.submitted_by ? `av ${assignment.submitted_by}` : ''} {assignment.reference ? `(kvittens ${assignment.reference})` : ''}
        </dd>
      </dl>

      <div className="admin-actions">
        <Form method="post">
          <CsrfInput token={csrf} />
          <input type="hidden" name="intent" value="extend" />
          <div className="field">
            <label htmlFor="until">Förläng svarstiden för {name} till</label>
            <input id="until" name="until" type="date" defaultValue={dateOnly(deadline)} {...invalid('until')} />
            {err('until') ? (
              <span className="error" id="until-error">
                {err('until')}
              </span>
            ) : null}
          </div>
          <button type="submit" disabled={busy}>
            Förläng
          </button>
        </Form>
        {assignment.extended_until ? (
          <Form method="post">
            <CsrfInput token={csrf} />
            <button type="submit" name="intent" value="clear-extension" className="secondary" disabled={busy}>
              Ta bort förlängningen
            </button>
          </Form>
        ) : null}
        {assignment.status === 'submitted' ? (
          <Form method="post">
            <CsrfInput token={csrf} />
            <input type="hidden" name="intent" value="reopen" />
            <div className="field">
              <label htmlFor="reason">Anledning till att svaret öppnas igen</label>
              <span className="hint" id="reason-hint">
                Sparas i loggen.
              </span>
              <textarea id="reason" name="reason" rows={2} required aria-describedby={err('reason') ? 'reason-hint reason-error' : 'reason-hint'} aria-invalid={err('reason') ? true : undefined} />
              {err('reason') ? (
                <span className="error" id="reason-error">
                  {err('reason')}
                </span>
              ) : null}
            </div>
            <button type="submit" disabled={busy}>
              Öppna svaret igen
            </button>
          </Form>
        ) : null}
      </div>

      <h2>Versioner</h2>
      {revisions.length === 0 ? (
        <p>Inget sparat ännu.</p>
      ) : (
        <table className="data-table">
          <caption className="visually-hidden">Sparade versioner, nyast först</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Typ</th>
              <th scope="col">Sparad</th>
              <th scope="col">Av</th>
              <th scope="col">Ändrade frågor</th>
              <th scope="col">Återställ</th>
            </tr>
          </thead>
          <tbody>
            {revisions.map((r, i) => (
              <tr key={r.version}>
                <th scope="row">{r.version}</th>
                <td>
                  {r.kind}
                  {r.note ? <div className="hint">{r.note}</div> : null}
                </td>
                <td>{dateTime(r.savedAt)}</td>
                <td>{r.savedBy ?? '–'}</td>
                <td>{r.changed.length ? r.changed.join(', ') : '–'}</td>
                <td>
                  {i === 0 || assignment.status === 'submitted' ? (
                    '–'
                  ) : (
                    <Form method="post">
                      <CsrfInput token={csrf} />
                      <input type="hidden" name="version" value={r.version} />
                      <button type="submit" name="intent" value="restore" className="secondary" disabled={busy}>
                        Återställ version {r.version}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {assignment.status === 'submitted' && revisions.length > 1 ? <p className="hint">Öppna svaret igen för att kunna återställa en äldre version.</p> : null}

      <h2>Logg</h2>
      {history.length === 0 ? (
        <p>Inga administrativa ändringar.</p>
      ) : (
        <ul className="audit-log">
          {history.map((h) => (
            <li key={h.id}>
              {dateTime(h.at)}: {h.action} av {h.by ?? 'systemet'}
              {h.reason ? ` – ”${h.reason}”` : ''}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
