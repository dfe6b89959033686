import { percent } from '../utils/admin-labels';

export interface RateView {
  code: string | null;
  name: string | null;
  total: number;
  submitted: number;
  started: number;
  rate: number;
}

/** A horizontal bar for a share 0–1. Decorative: the number is always written next to it. */
export function RateBar({ rate, large = false }: { rate: number; large?: boolean }) {
  return (
    <span className={large ? 'rate-bar large' : 'rate-bar'} aria-hidden="true">
      <span style={{ width: `${Math.round(rate * 1000) / 10}%` }} />
    </span>
  );
}

/**
 * Response rates by group as a table: the numbers are text (for screen readers and copying),
 * the bars only repeat them visually. `filterParam` links each group to the filtered list.
 */
export function RateTable({ caption, groupLabel, rows, emptyLabel, hrefFor }: {
  caption: string;
  groupLabel: string;
  rows: RateView[];
  emptyLabel: string;
  hrefFor?: (code: string | null) => string;
}) {
  return (
    <table className="data-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{groupLabel}</th>
          <th scope="col" className="num">
            Inskickade
          </th>
          <th scope="col" className="num">
            Påbörjade
          </th>
          <th scope="col" className="num">
            Totalt
          </th>
          <th scope="col" className="num">
            Svarsfrekvens
          </th>
          <th scope="col" className="rate-cell">
            <span className="visually-hidden">Stapel</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.code ?? 'none'}>
            <th scope="row">
              {hrefFor ? <a href={hrefFor(r.code)}>{label(r, emptyLabel)}</a> : label(r, emptyLabel)}
            </th>
            <td className="num">{r.submitted}</td>
            <td className="num">{r.started}</td>
            <td className="num">{r.total}</td>
            <td className="num">{percent(r.rate)}</td>
            <td className="rate-cell">
              <RateBar rate={r.rate} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function label(r: RateView, emptyLabel: string) {
  if (!r.code) return emptyLabel;
  return r.name && r.name !== r.code ? `${r.code} ${r.name}` : r.code;
}
