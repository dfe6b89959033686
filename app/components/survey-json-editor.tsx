import { Form } from '@remix-run/react';
import { useState } from 'react';

interface Problem {
  message: string;
  line?: number;
  column?: number;
  question?: string;
}

/** Where the JSON breaks, as "rad L, kolumn C", from the browser's JSON.parse message. */
function syntaxError(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    if (!m) return 'Texten är inte giltig JSON.';
    const before = text.slice(0, Number(m[1]));
    const line = before.split('\n').length;
    return `Texten är inte giltig JSON: fel på rad ${line}, kolumn ${Number(m[1]) - before.lastIndexOf('\n')}.`;
  }
}

/**
 * The draft's SurveyJS JSON in an editor, with the server's problems (syntax with line and
 * column; check errors with their question) listed under it. Every edit that parses is handed
 * to `onJson`, so the preview beside it follows.
 */
export function SurveyJsonEditor({ csrf, text, readOnly, problems, checkErrors, onJson }: {
  csrf: string;
  text: string;
  readOnly: boolean;
  problems: Problem[];
  checkErrors: { message: string; question: string | null }[];
  onJson: (json: Record<string, unknown>) => void;
}) {
  const [local, setLocal] = useState<string | null>(null);
  const change = (value: string) => {
    const error = syntaxError(value);
    setLocal(error);
    if (!error) onJson(JSON.parse(value));
  };
  const described = ['json-problems', local ? 'json-local' : ''].filter(Boolean).join(' ');
  return (
    <section aria-labelledby="json-h" className="json-editor" id="json">
      <h2 id="json-h">JSON</h2>
      <Form method="post">
        <input type="hidden" name="csrf" value={csrf} />
        <input type="hidden" name="intent" value="save-json" />
        <label htmlFor="f-json" className="visually-hidden">
          Enkätens SurveyJS-JSON
        </label>
        <textarea
          id="f-json"
          name="json"
          className="code"
          rows={28}
          spellCheck={false}
          defaultValue={text}
          readOnly={readOnly}
          aria-invalid={problems.length || local ? true : undefined}
          aria-describedby={described}
          onChange={(e) => change(e.target.value)}
        />
        {local ? (
          <p className="error" id="json-local">
            {local}
          </p>
        ) : null}
        <div id="json-problems">
          {problems.length ? (
            <ul className="error" role="alert">
              {problems.map((p) => (
                <li key={p.message}>{p.message}</li>
              ))}
            </ul>
          ) : null}
          {checkErrors.length ? (
            <ul className="json-check-errors">
              {checkErrors.map((e) => (
                <li key={e.message}>
                  {e.question ? <code>{e.question}</code> : null} {e.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        {readOnly ? null : <button type="submit">Spara JSON</button>}
      </Form>
    </section>
  );
}
