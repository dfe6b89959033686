import { Form, Link } from '@remix-run/react';
import { CsrfInput } from './csrf-input';

/** What the year page's action returns for a ledger upload. */
export interface LedgerImportData {
  imported?: number;
  rowErrors?: { line: number; column: string; message: string }[];
}

/** The ledger upload on the grant year page, with the per-row report of a refused file. */
export function LedgerImportForm({ csrf, result, busy }: { csrf: string; result: (LedgerImportData & { ok: boolean }) | undefined; busy: boolean }) {
  const rowErrors = result?.rowErrors ?? [];
  return (
    <section aria-labelledby="import-heading">
      <h2 id="import-heading">Läs in registret från fil</h2>
      <p className="hint">
        CSV eller XLSX, högst 2 MB, med kolumnen <code>org</code> (organisationskod) och någon av <code>allocated_sek</code>, <code>requested_sek</code>, <code>paid_sek</code>,{' '}
        <code>used_sek</code>, <code>repaid_sek</code>, <code>reclaimed_sek</code>, <code>requested_at</code>, <code>paid_at</code>, <code>repaid_at</code>, <code>reclaimed_at</code>,{' '}
        <code>reclaim_reason</code>. En tom cell ändrar inget. Filen läses in helt eller inte alls.
      </p>
      <Form method="post" encType="multipart/form-data" className="filters">
        <CsrfInput token={csrf} />
        <div className="field">
          <label htmlFor="ledger-file">Fil</label>
          <input id="ledger-file" name="file" type="file" accept=".csv,.xlsx,.txt" required aria-describedby={rowErrors.length ? 'import-errors' : undefined} />
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Läser in…' : 'Läs in registret'}
        </button>
      </Form>
      {result?.ok && result.imported != null ? (
        <p className="hint">
          Inläsningen finns i <Link to="/admin/logg?action=grant.ledger.import_file">ändringsloggen</Link>.
        </p>
      ) : null}
      {rowErrors.length ? (
        <table className="data-table problem-list" id="import-errors">
          <caption>Rader med fel (inget lästes in)</caption>
          <thead>
            <tr>
              <th scope="col">Rad</th>
              <th scope="col">Kolumn</th>
              <th scope="col">Fel</th>
            </tr>
          </thead>
          <tbody>
            {rowErrors.map((e, i) => (
              <tr key={`${e.line}-${e.column}-${i}`}>
                <th scope="row">{e.line}</th>
                <td>{e.column ? <code>{e.column}</code> : '–'}</td>
                <td>{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
