export interface DiffRow {
  id: string;
  kind: string;
  key: string;
  before?: string;
  after?: string;
  breaking: boolean;
  effect: string;
}

const KIND_SV: Record<string, string> = {
  question_added: 'Ny fråga',
  question_removed: 'Borttagen fråga',
  text_changed: 'Ändrad frågetext',
  type_changed: 'Ändrad frågetyp',
  choice_added: 'Nytt alternativ',
  choice_removed: 'Borttaget alternativ',
  choice_recoded: 'Omkodat alternativ',
  choice_label_changed: 'Ändrad alternativtext',
};

/**
 * The changes against the family's previous version, key by key, each with what it does to
 * trends. Unchanged keys are summed up in one line.
 */
export function SurveyDiffTable({ previousId, changes }: { previousId: string | null; changes: DiffRow[] }) {
  if (!previousId) return <p>Det här är familjens första version: det finns inget att jämföra med.</p>;
  const changed = changes.filter((c) => c.kind !== 'unchanged');
  const unchanged = changes.length - changed.length;
  return (
    <>
      <p>
        Jämfört med <strong>{previousId}</strong>: {changed.length ? `${changed.length} ändringar` : 'inga ändringar'}.{' '}
        {unchanged ? `${unchanged} frågor behåller nyckel, typ och alternativ: deras trender fortsätter.` : ''}
      </p>
      {changed.length ? (
        <div className="table-scroll" role="region" aria-label="Ändringar mot förra versionen" tabIndex={0}>
          <table className="data-table survey-diff">
            <caption className="visually-hidden">Ändringar mot {previousId}</caption>
            <thead>
              <tr>
                <th scope="col">Nyckel</th>
                <th scope="col">Ändring</th>
                <th scope="col">Före → efter</th>
                <th scope="col">Vad det betyder för trender och jämförelser</th>
              </tr>
            </thead>
            <tbody>
              {changed.map((c) => (
                <tr key={c.id} className={c.breaking ? 'breaking' : undefined}>
                  <th scope="row">
                    <code>{c.key}</code>
                  </th>
                  <td>
                    {KIND_SV[c.kind] ?? c.kind}
                    {c.breaking ? <strong className="badge-breaking"> (bryter trenden)</strong> : null}
                  </td>
                  <td>{[c.before, c.after].filter((v) => v !== undefined).join(' → ')}</td>
                  <td>{c.effect}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
