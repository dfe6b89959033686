import { useEffect, useRef, useState } from 'react';
import type { MergeResult } from '~/utils/merge';

/**
 * Shown when a colleague saved other values for the same questions. Every other answer is
 * already merged; here the respondent picks, per question, which answer is kept. Plain radio
 * buttons in fieldsets, so it works with the keyboard and screen readers.
 */
export function RespondentConflicts({
  merge,
  describe,
  onResolve,
}: {
  merge: MergeResult;
  /** The question's title and a readable form of a value. */
  describe: (key: string, value: unknown) => { title: string; text: string };
  onResolve: (choices: Record<string, 'mine' | 'theirs'>) => void;
}) {
  const [choices, setChoices] = useState<Record<string, 'mine' | 'theirs'>>({});
  const [missing, setMissing] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const all = merge.conflicts.every((c) => choices[c.key]);

  return (
    <section className="conflict-view" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading" tabIndex={-1} ref={heading}>
        En kollega har ändrat samma svar
      </h2>
      <p>
        Någon annan sparade formuläret medan du fyllde i det. Deras övriga ändringar är redan inlagda. För{' '}
        {merge.conflicts.length === 1 ? 'frågan nedan' : `de ${merge.conflicts.length} frågorna nedan`} har ni svarat olika: välj vilket svar som ska gälla.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!all) return setMissing(true);
          onResolve(choices);
        }}
      >
        {merge.conflicts.map((c, i) => {
          const mine = describe(c.key, c.mine);
          const theirs = describe(c.key, c.theirs);
          return (
            <fieldset key={c.key}>
              <legend>{mine.title}</legend>
              <label>
                <input type="radio" name={`conflict-${i}`} value="mine" checked={choices[c.key] === 'mine'} onChange={() => setChoices({ ...choices, [c.key]: 'mine' })} />
                <span>
                  Mitt svar: <span className="conflict-value">{mine.text}</span>
                </span>
              </label>
              <label>
                <input type="radio" name={`conflict-${i}`} value="theirs" checked={choices[c.key] === 'theirs'} onChange={() => setChoices({ ...choices, [c.key]: 'theirs' })} />
                <span>
                  Kollegans svar: <span className="conflict-value">{theirs.text}</span>
                </span>
              </label>
            </fieldset>
          );
        })}
        {missing && !all ? (
          <p className="field error" role="alert">
            Välj ett svar för varje fråga.
          </p>
        ) : null}
        <button type="submit">Använd valda svar och spara</button>
      </form>
    </section>
  );
}
