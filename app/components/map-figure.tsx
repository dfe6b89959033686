import type { KommunMap } from '~/models/comparisons/map.server';

/** One kommun choropleth with its legend (with counts) and a per-kommun table as text alternative. */
export function MapFigure({ map, heading }: { map: KommunMap; heading: string }) {
  return (
    <figure className="cmp-map">
      <figcaption>
        <strong>{heading}</strong>
      </figcaption>
      <div dangerouslySetInnerHTML={{ __html: map.svg }} />
      <ul className="cmp-legend" aria-label={`Teckenförklaring ${heading}`}>
        {map.categories.map((c) => (
          <li key={c.key}>
            <span className="cmp-swatch" style={{ background: c.color }} aria-hidden="true" />
            {c.label}: {c.count} {c.count === 1 ? 'kommun' : 'kommuner'}
          </li>
        ))}
      </ul>
      <details>
        <summary>Kommunerna i tabellform ({heading})</summary>
        <table className="data-table">
          <caption className="visually-hidden">{heading} per kommun</caption>
          <thead>
            <tr>
              <th scope="col">Kommun</th>
              <th scope="col">Värde</th>
            </tr>
          </thead>
          <tbody>
            {map.rows.map((r) => (
              <tr key={r.code}>
                <th scope="row">
                  {r.name} ({r.code})
                </th>
                <td>{r.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
