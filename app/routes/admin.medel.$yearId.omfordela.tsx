import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { CsrfInput } from '~/components/csrf-input';
import { getYear, GrantInputError } from '~/models/grants/programs.server';
import { planRedistribution, redistributeDeclined } from '~/models/grants/redistribute.server';
import { kronor } from '~/utils/admin-labels';
import { requireUser } from '~/utils/auth.server';
import { assertCsrf, csrfToken } from '~/utils/csrf.server';
import { getDb } from '~/utils/db.server';
import { positiveId } from '~/utils/route-params';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Fördela om avböjda medel – ${data ? `${data.year.program_name} ${data.year.year}` : 'Medel'} – Enkätnav` }];

async function loadYear(params: { yearId?: string }) {
  const id = positiveId(params.yearId);
  const year = id ? await getYear(getDb(), id) : undefined;
  if (!year) throw new Response('Året finns inte.', { status: 404 });
  return year;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ['admin']);
  const year = await loadYear(params);
  try {
    return { csrf: csrfToken(request), year, plan: await planRedistribution(getDb(), year.id), refusal: null };
  } catch (e) {
    if (e instanceof GrantInputError) return { csrf: csrfToken(request), year, plan: null, refusal: e.sv };
    throw e;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ['admin']);
  const form = await request.formData();
  assertCsrf(request, form);
  const year = await loadYear(params);
  const key = form.get('key');
  if (typeof key !== 'string' || !/^[0-9a-f]{16}$/.test(key)) return Response.json({ ok: false, message: 'Förhandsvisningen saknas. Ladda om sidan och bekräfta igen.' }, { status: 400 });
  try {
    const done = await redistributeDeclined(getDb(), year.id, user.id, { expectedKey: key });
    const requesters = done.lines.filter((l) => l.role === 'requester').length;
    return { ok: true, message: `${kronor(done.freed)} fördelades om till ${requesters} mottagare som rekvirerat. Årets summa är fortfarande ${kronor(done.sumAfter)}.` };
  } catch (e) {
    if (e instanceof GrantInputError) return Response.json({ ok: false, message: e.sv }, { status: 400 });
    throw e;
  }
}

export default function RedistributePage() {
  const { csrf, year, plan, refusal } = useLoaderData<typeof loader>();
  const result = useActionData<{ ok: boolean; message: string }>();
  const busy = useNavigation().state === 'submitting';
  const base = `/admin/medel/${year.id}`;
  return (
    <>
      <p>
        <Link to={base}>
          {year.program_name} {year.year}
        </Link>
      </p>
      <h1>Fördela om avböjda medel</h1>
      <p>
        Medel som mottagare har avböjt, eller inte rekvirerat före sista dag, fördelas om till dem som har rekvirerat, med årets egen fördelningsregel på dem som rekvirerat. De som avböjt får 0 kr,
        och rekvirerat belopp följer med den nya fördelningen. Summan för året ändras inte.
      </p>
      {result ? (
        <p className={result.ok ? 'flash' : 'error'} role={result.ok ? 'status' : 'alert'}>
          {result.message} {result.ok ? <Link to={base}>Tillbaka till året</Link> : null}
        </p>
      ) : null}
      {refusal && !result?.ok ? <p>{refusal}</p> : null}
      {plan ? (
        <>
          <h2>Förhandsvisning</h2>
          <p>
            {kronor(plan.freed)} fördelas om. Summa före {kronor(plan.sumBefore)}, efter {kronor(plan.sumAfter)}.
          </p>
          <table className="data-table">
            <caption className="visually-hidden">Belopp före och efter omfördelningen</caption>
            <thead>
              <tr>
                <th scope="col">Kod</th>
                <th scope="col">Mottagare</th>
                <th scope="col">Läge</th>
                <th scope="col" className="num">
                  Före
                </th>
                <th scope="col" className="num">
                  Efter
                </th>
              </tr>
            </thead>
            <tbody>
              {plan.lines.map((l) => (
                <tr key={l.ledgerId} data-code={l.code}>
                  <td>{l.code}</td>
                  <th scope="row">{l.name}</th>
                  <td>{l.role === 'requester' ? 'Har rekvirerat' : 'Avböjt eller inte rekvirerat'}</td>
                  <td className="num">{kronor(l.before)}</td>
                  <td className="num">{kronor(l.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Form method="post">
            <CsrfInput token={csrf} />
            <input type="hidden" name="key" value={plan.key} />
            <button type="submit" disabled={busy}>
              {busy ? 'Fördelar om…' : 'Bekräfta omfördelningen'}
            </button>
          </Form>
        </>
      ) : null}
    </>
  );
}
