import type { AnswerSection } from '~/models/responses/receipts.server';

/** The answers as a definition list per page: used by the receipt and the read-only form. */
export function RespondentAnswers({ sections }: { sections: AnswerSection[] }) {
  if (sections.length === 0) return <p>Inga svar är sparade.</p>;
  return (
    <div className="answer-list">
      {sections.map((section) => (
        <section key={section.title} className="answer-section">
          <h2>{section.title}</h2>
          <dl>
            {section.answers.map((a) => (
              <div key={a.key} className="answer-item">
                <dt>{a.title}</dt>
                <dd>
                  {a.lines.length === 1 ? (
                    a.lines[0]
                  ) : (
                    <ul>
                      {a.lines.map((line, i) => (
                        <li key={i}>{line}</li>
                      ))}
                    </ul>
                  )}
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}
