import { Link } from '@remix-run/react';
import { dateOnly, kronor } from '~/utils/admin-labels';

/** The rows the ledger table shows (from listLedger, serialised). */
export interface LedgerTableLine {
  id: number;
  code: string;
  name: string;
  population: number | null;
  allocated_sek: number;
  requested_sek: number | null;
  requested_at: string | null;
  declined_at: string | null;
  paid_sek: number | null;
  paid_at: string | null;
  used_sek: number | null;
  reported_at: string | null;
  repaid_sek: number;
  repaid_at: string | null;
  reclaimed_sek: number;
  reviewed_at: string | null;
  status: string;
  statusLabel: string;
  expectedRepayment: number | null;
  disagreements: { rule: string; sv: string }[];
}

const share = (amount: number, total: number) => (total ? `${((amount / total) * 100).toLocaleString('sv-SE', { minimumFractionDigits: 3, maximumFractionDigits: 3 })} %` : '–');

/** One row per recipient: the allocation and every booking, with dates and the derived status. */
export function LedgerTable({ lines, total, base }: { lines: LedgerTableLine[]; total: number; base: string }) {
  return (
    <div className="table-scroll" role="region" aria-label="Registret per mottagare (rullbar tabell)" tabIndex={0}>
      <table className="data-table ledger-table">
        <caption className="visually-hidden">Registret per mottagare</caption>
        <thead>
          <tr>
            <th scope="col">Mottagare</th>
            <th scope="col">Folkmängd</th>
            <th scope="col">Andel</th>
            <th scope="col">Fördelat</th>
            <th scope="col">Rekvirerat</th>
            <th scope="col">Utbetalt</th>
            <th scope="col">Förbrukat</th>
            <th scope="col">Återbetalt</th>
            <th scope="col">Återkrävt</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.id} data-code={l.code}>
              <th scope="row">
                <Link to={`${base}/rad/${l.id}`}>
                  {l.name}
                  <span className="visually-hidden">: ändra</span>
                </Link>
                <span className="hint">{l.code}</span>
              </th>
              <td className="num">{l.population?.toLocaleString('sv-SE') ?? '–'}</td>
              <td className="num">{share(l.allocated_sek, total)}</td>
              <td className="num">{kronor(l.allocated_sek)}</td>
              <td className="num">
                {l.declined_at ? 'Avstår' : kronor(l.requested_sek)}
                {l.requested_at ? <span className="hint">{dateOnly(l.requested_at)}</span> : null}
              </td>
              <td className="num">
                {kronor(l.paid_sek)}
                {l.paid_at ? <span className="hint">{dateOnly(l.paid_at)}</span> : null}
              </td>
              <td className="num">
                {kronor(l.used_sek)}
                {l.reported_at ? <span className="hint">{dateOnly(l.reported_at)}</span> : null}
              </td>
              <td className="num">
                {kronor(l.repaid_sek)}
                {l.expectedRepayment != null && l.expectedRepayment !== l.repaid_sek ? <span className="hint">väntat {kronor(l.expectedRepayment)}</span> : null}
              </td>
              <td className="num">{l.reclaimed_sek ? kronor(l.reclaimed_sek) : '–'}</td>
              <td>
                <span className={`badge grant-${l.status}`}>{l.statusLabel}</span>
                {l.reviewed_at ? <span className="hint">Granskad {dateOnly(l.reviewed_at)}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The disagreement view: recipients whose report and ledger do not agree, for the review. */
export function DisagreementList({ lines, base }: { lines: LedgerTableLine[]; base: string }) {
  const flagged = lines.filter((l) => l.disagreements.length);
  if (flagged.length === 0) return <p>Inga avvikelser: återrapporteringar och bokningar stämmer.</p>;
  return (
    <table className="data-table">
      <caption className="visually-hidden">Avvikelser mellan återrapportering och register</caption>
      <thead>
        <tr>
          <th scope="col">Mottagare</th>
          <th scope="col">Avvikelse</th>
        </tr>
      </thead>
      <tbody>
        {flagged.map((l) => (
          <tr key={l.id}>
            <th scope="row">
              <Link to={`${base}/rad/${l.id}`}>{l.name}</Link>
            </th>
            <td>
              <ul className="plain">
                {l.disagreements.map((d) => (
                  <li key={d.rule}>{d.sv}</li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
