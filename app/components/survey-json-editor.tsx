import { Form } from '@remix-run/react';
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { JsonEditorHandle } from './survey-json-codemirror.client';

interface Problem {
  message: string;
  line?: number;
  column?: number;
  question?: string;
}

type CheckError = { message: string; question: string | null };

const LABEL = 'Enkätens SurveyJS-JSON';

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
 * After hydration, loads CodeMirror (its own chunk: survey-json-codemirror.client.ts) over the
 * textarea. The textarea stays the form field, and the editor when JavaScript is off or the
 * chunk does not load.
 */
function useCodeMirror(
  textarea: RefObject<HTMLTextAreaElement>,
  slot: RefObject<HTMLDivElement>,
  options: { readOnly: boolean; checkErrors: () => CheckError[]; onChange: (text: string) => void },
) {
  const handle = useRef<JsonEditorHandle | null>(null);
  const [enhanced, setEnhanced] = useState(false);
  const latest = useRef(options);
  latest.current = options;
  useEffect(() => {
    let cancelled = false;
    import('./survey-json-codemirror.client')
      .then(({ mountJsonEditor }) => {
        if (cancelled || !textarea.current || !slot.current) return;
        handle.current = mountJsonEditor(textarea.current, slot.current, {
          label: LABEL,
          readOnly: latest.current.readOnly,
          checkErrors: () => latest.current.checkErrors(),
          onChange: (text) => latest.current.onChange(text),
        });
        setEnhanced(true);
      })
      .catch(() => {}); // offline or blocked: the textarea keeps working
    return () => {
      cancelled = true;
      handle.current?.destroy();
      handle.current = null;
    };
  }, [textarea, slot]);
  return { enhanced, handle };
}

/**
 * The draft's SurveyJS JSON in an editor, with the server's problems (syntax with line and
 * column; check errors with their question) listed under it. Every edit that parses is handed
 * to `onJson`, so the preview beside it follows. With JavaScript the editor is CodeMirror, with
 * inline markers for syntax errors and for the check errors at their question.
 */
export function SurveyJsonEditor({ csrf, text, readOnly, problems, checkErrors, onJson }: {
  csrf: string;
  text: string;
  readOnly: boolean;
  problems: Problem[];
  checkErrors: CheckError[];
  onJson: (json: Record<string, unknown>) => void;
}) {
  const [local, setLocal] = useState<string | null>(null);
  const change = (value: string) => {
    const error = syntaxError(value);
    setLocal(error);
    if (!error) onJson(JSON.parse(value));
  };
  const described = ['json-problems', local ? 'json-local' : ''].filter(Boolean).join(' ');
  const invalid = Boolean(problems.length || local);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const slot = useRef<HTMLDivElement>(null);
  const { enhanced, handle } = useCodeMirror(textarea, slot, { readOnly, checkErrors: () => checkErrors, onChange: change });
  useEffect(() => {
    handle.current?.setAttributes({ 'aria-describedby': described, ...(invalid ? { 'aria-invalid': 'true' } : {}) });
  }, [enhanced, handle, described, invalid]);
  return (
    <section aria-labelledby="json-h" className="json-editor" id="json">
      <h2 id="json-h">JSON</h2>
      <Form method="post">
        <input type="hidden" name="csrf" value={csrf} />
        <input type="hidden" name="intent" value="save-json" />
        <label htmlFor="f-json" className="visually-hidden">
          {LABEL}
        </label>
        <textarea
          ref={textarea}
          id="f-json"
          name="json"
          className="code"
          rows={28}
          spellCheck={false}
          defaultValue={text}
          readOnly={readOnly}
          aria-invalid={invalid || undefined}
          aria-describedby={described}
          onChange={(e) => change(e.target.value)}
        />
        <div ref={slot} className="json-codemirror" />
        {enhanced ? <p className="hint">Tab flyttar vidare från redigeraren, som från ett textfält. Fel markeras på raden, och F8 går till nästa fel.</p> : null}
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
