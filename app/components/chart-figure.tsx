import type { ComparisonResult, GroupResult } from '~/models/comparisons/compute.server';
import { NOTE_SV, TEST_LABELS_SV } from '~/models/comparisons/labels';
import { formatPercentSv } from '~/models/comparisons/policy';

export interface ChartPayload {
  result: ComparisonResult;
  svg: string;
  legend: { label: string; color: string }[];
}

const fmt = (v: number | null | undefined, decimals = 1) =>
  v === null || v === undefined ? '' : v.toLocaleString('sv-SE', { maximumFractionDigits: decimals });

function Suppressed() {
  return <abbr title="Undertryckt: för få svar för att redovisas">..</abbr>;
}

/** The comparison table: n and missing per group, count and percent per value, Riket last. */
export function ComparisonTable({ result, caption }: { result: ComparisonResult; caption: string }) {
  const periods = result.periods ?? [{ key: '', label: '', groups: result.groups, total: result.total, test: result.test }];
  const numeric = result.measure.kind === 'numeric';
  const rows = (groups: GroupResult[], total: GroupResult) => [...groups, total];
  return (
    <div className="cmp-table-wrap">
      <table className="data-table cmp-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {result.periods && <th scope="col">År</th>}
            <th scope="col">Grupp</th>
            <th scope="col" className="num">
              n
            </th>
            <th scope="col" className="num">
              Saknar svar
            </th>
            {numeric
              ? ['Medelvärde', 'Median', 'Summa'].map((h) => (
                  <th key={h} scope="col" className="num">
                    {h}
                  </th>
                ))
              : result.values.map((v) => (
                  <th key={v.key} scope="col" className="num">
                    {v.label} (antal / %)
                  </th>
                ))}
          </tr>
        </thead>
        <tbody>
          {periods.flatMap((p) =>
            rows(p.groups, p.total).map((g) => (
              <tr key={`${p.key}-${g.key}`} className={g.key === 'riket' ? 'cmp-total' : undefined}>
                {result.periods && <td>{p.label}</td>}
                <th scope="row">{g.label}</th>
                <td className="num">{g.n}</td>
                <td className="num">{g.missing}</td>
                {numeric
                  ? [g.stats?.mean, g.stats?.median, g.stats?.sum].map((x, i) => (
                      <td key={i} className="num">
                        {g.suppressed ? <Suppressed /> : fmt(x)}
                      </td>
                    ))
                  : result.values.map((v) => (
                      <td key={v.key} className="num">
                        {g.counts[v.key] === null ? (
                          <Suppressed />
                        ) : (
                          <>
                            {g.counts[v.key]} / {g.percent[v.key] === null ? '–' : `${formatPercentSv(g.percent[v.key], result.precision)} %`}
                          </>
                        )}
                      </td>
                    ))}
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A comparison figure: chart (server-rendered SVG) with a legend and caption, the table,
 * the source line, the test and the descriptive-not-causal note, and the export links.
 */
export function ChartFigure({ chart, exportBase }: { chart: ChartPayload; exportBase?: string }) {
  const { result, svg, legend } = chart;
  const test = result.test;
  return (
    <div className="cmp-figure-block">
      <figure className="cmp-figure">
        <div className="cmp-chart" dangerouslySetInnerHTML={{ __html: svg }} />
        {legend.length > 1 && (
          <ul className="cmp-legend" aria-label="Teckenförklaring">
            {legend.map((l) => (
              <li key={l.label}>
                <span className="cmp-swatch" style={{ background: l.color }} aria-hidden="true" />
                {l.label}
              </li>
            ))}
          </ul>
        )}
        <figcaption>
          <strong>{result.title}.</strong> {result.description ?? `${result.measure.label}, i procent av dem som svarat, per ${result.grouping.label.toLowerCase()}.`} Värdena finns i tabellen nedan.
        </figcaption>
      </figure>
      <ComparisonTable result={result} caption={`Tabell: ${result.title}`} />
      <p className="cmp-source">Källa: {result.source}</p>
      <p className="cmp-test">
        {test
          ? `${TEST_LABELS_SV[test.method] ?? test.method}: ${test.p < 0.001 ? 'p < 0,001' : `p = ${fmt(test.p, 3)}`}${test.warning ? ' (ungefärligt: små förväntade antal)' : ''}.`
          : 'Inget test (kräver minst två grupper och ett enkelval eller medel).'}
      </p>
      {result.jointMembers ? (
        <p className="cmp-joint">
          {result.jointMembers === 1 ? 'En organisation' : `${result.jointMembers} organisationer`} räknas genom en gemensam redovisning, där en
          annan organisation svarade för gruppen.
        </p>
      ) : null}
      <p className="notice cmp-note">{NOTE_SV}</p>
      {result.suppressBelow > 1 && <p className="cmp-suppress">Antal under {result.suppressBelow}, och celler som går att räkna ut från dem, visas som "..".</p>}
      {exportBase && (
        <ul className="cmp-exports" aria-label="Ladda ner">
          <li>
            <a className="button secondary" href={`${exportBase}?format=svg`} download>
              Diagram (SVG)
            </a>
          </li>
          <li>
            <a className="button secondary" href={`${exportBase}?format=png`} download>
              Diagram (PNG)
            </a>
          </li>
          <li>
            <a className="button secondary" href={`${exportBase}?format=csv`} download>
              Tabell (CSV)
            </a>
          </li>
          <li>
            <a className="button secondary" href={`${exportBase}?format=xlsx`} download>
              Tabell (XLSX)
            </a>
          </li>
        </ul>
      )}
    </div>
  );
}
