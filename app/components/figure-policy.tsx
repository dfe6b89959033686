import type { ComparisonResult, GroupResult } from '~/models/comparisons/compute.server';
import { formatPercentSv } from '~/models/comparisons/policy';

const kr = (v: number) => v.toLocaleString('sv-SE');

/** Money figures (Tabell 2, Bilaga 1): kronor per year and recipient, the share used, and the sum. */
export function MoneyTable({ result }: { result: ComparisonResult }) {
  const periods = result.periods ?? [{ key: '', label: '', groups: result.groups, total: result.total, test: null }];
  const rows: { period: string; g: GroupResult }[] = [];
  for (const p of periods) for (const g of [...p.groups, p.total]) rows.push({ period: p.label, g });
  if (result.grandTotal) rows.push({ period: '', g: result.grandTotal });
  return (
    <div className="cmp-table-wrap">
      <table className="data-table cmp-table">
        <caption>Tabell: {result.title}</caption>
        <thead>
          <tr>
            <th scope="col">År</th>
            <th scope="col">Mottagare</th>
            <th scope="col" className="num">Antal som rekvirerade</th>
            <th scope="col" className="num">Fördelat (kr)</th>
            <th scope="col" className="num">Förbrukat (kr)</th>
            <th scope="col" className="num">Inte förbrukat – återbetalda medel (kr)</th>
            <th scope="col" className="num">Andelen förbrukade medel</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ period, g }) => (
            <tr key={`${period}-${g.key}`}>
              <td>{period}</td>
              <th scope="row">{g.label}</th>
              <td className="num">{g.n}</td>
              <td className="num">{kr(g.money?.allocated ?? 0)}</td>
              <td className="num">{kr(g.money?.used ?? 0)}</td>
              <td className="num">{kr(g.money?.repaid ?? 0)}</td>
              <td className="num">{g.money?.share === null || g.money?.share === undefined ? '–' : `${formatPercentSv(g.money.share, result.precision)} %`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The lines under a figure: the trend change, suppression, precision, base and other rules. */
export function FigurePolicy({ result }: { result: ComparisonResult }) {
  const change = result.change;
  const shown = change ? (result.chartValues ?? Object.keys(change.points)).filter((v) => change.points[v] !== null && change.points[v] !== undefined) : [];
  const label = (k: string) => result.values.find((v) => v.key === k)?.label ?? k;
  return (
    <div className="cmp-policy">
      {change && shown.length > 0 && (
        <p>
          Förändring {change.from}–{change.to}:{' '}
          {shown.map((v) => `${label(v)} ${change.points[v]! > 0 ? '+' : ''}${formatPercentSv(change.points[v], result.precision)} procentenheter`).join(', ')}.
        </p>
      )}
      {result.periods?.some((p) => p.noData) && (
        <p>Uppgift saknas för {result.periods.filter((p) => p.noData).map((p) => p.label).join(', ')}: inga inskickade svar.</p>
      )}
      <ul>
        {(result.policy?.notes ?? []).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}
