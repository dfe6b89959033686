import { Form, Link, useSubmit } from '@remix-run/react';
import type { StatusListFilter, StatusRow } from '~/models/rounds/status.server';
import { dateOnly, dateTime, STATUS_LABELS } from '~/utils/admin-labels';

/** The filter form and the per-recipient table of a round's status page (/admin/omgangar/<id>). */

/** Status, län and kommungrupp filters; each change reloads the list (keyboard: the button). */
export function StatusFilters(props: { filter: StatusListFilter; lan: { code: string; name: string }[]; kommungrupper: { code: string; name: string }[] }) {
  const { filter, lan, kommungrupper } = props;
  const submit = useSubmit();
  return (
    <Form method="get" className="filters" role="search" aria-label="Filtrera svarslistan" onChange={(e) => submit(e.currentTarget, { replace: true })}>
      <div className="field">
        <label htmlFor="status">Status</label>
        <select id="status" name="status" defaultValue={filter.status ?? ''}>
          <option value="">Alla</option>
          {Object.entries(STATUS_LABELS).map(([s, label]) => (
            <option key={s} value={s}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="lan">Län</label>
        <select id="lan" name="lan" defaultValue={filter.lan ?? ''}>
          <option value="">Alla län</option>
          {lan.map((l) => (
            <option key={l.code} value={l.code}>
              {l.name}
            </option>
          ))}
          <option value="none">Utan län</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="kg">Kommungrupp</label>
        <select id="kg" name="kg" defaultValue={filter.kg ?? ''}>
          <option value="">Alla kommungrupper</option>
          {kommungrupper.map((g) => (
            <option key={g.code} value={g.code}>
              {g.code} {g.name}
            </option>
          ))}
          <option value="none">Utan kommungrupp</option>
        </select>
      </div>
      <button type="submit">Filtrera</button>
    </Form>
  );
}

/** One row per recipient: status, last save, submit, contacts and reminders sent. */
export function StatusTable({ rows, base }: { rows: StatusRow[]; base: string }) {
  return (
    <table className="data-table">
      <caption className="visually-hidden">Svarsstatus per mottagare</caption>
      <thead>
        <tr>
          <th scope="col">Kod</th>
          <th scope="col">Mottagare</th>
          <th scope="col">Län</th>
          <th scope="col">Kommungrupp</th>
          <th scope="col">Status</th>
          <th scope="col">Senast sparad</th>
          <th scope="col">Inskickad</th>
          <th scope="col">Kontakter</th>
          <th scope="col" className="num">
            Påminnelser
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.assignmentId}>
            <td>{r.code ?? '–'}</td>
            <th scope="row">
              <Link to={`${base}/svar/${r.assignmentId}`}>{r.name}</Link>
              {r.extendedUntil ? <div className="hint">Förlängd till {dateOnly(r.extendedUntil)}</div> : null}
            </th>
            <td>{r.lanCode ?? '–'}</td>
            <td>{r.kommungrupp ?? '–'}</td>
            <td>
              <span className={`badge ${r.status}`}>{STATUS_LABELS[r.status]}</span>
              {r.coveredBy ? (
                <div className="hint">
                  Gemensam redovisning med {r.coveredBy.name ?? 'annan organisation'}
                  {r.coveredBy.submitted ? ' (inskickad)' : ''}
                </div>
              ) : null}
            </td>
            <td>
              {dateTime(r.lastSavedAt)}
              {r.lastSavedBy ? <div className="hint">{r.lastSavedBy}</div> : null}
            </td>
            <td>
              {dateTime(r.submittedAt)}
              {r.submittedBy ? <div className="hint">{r.submittedBy}</div> : null}
            </td>
            <td>
              {r.personEmail ? (
                r.personEmail
              ) : r.contacts.length ? (
                <ul className="contacts">
                  {r.contacts.map((c) => (
                    <li key={c.email}>
                      {c.name}
                      {c.role ? ` (${c.role})` : ''}, <a href={`mailto:${c.email}`}>{c.email}</a>
                    </li>
                  ))}
                </ul>
              ) : (
                <span className="status-warn">Inga kontakter</span>
              )}
            </td>
            <td className="num">{r.reminders}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
