/**
 * CodeMirror 6 over the draft's JSON textarea on /admin/enkater/$id, loaded with `import()` after
 * hydration (its own chunk: no other page loads it). The textarea stays in the form, hidden, and
 * gets every change, so the same form post saves what the editor shows; without JavaScript the
 * textarea itself is the editor.
 *
 * Keyboard: the default keymap without indentWithTab, so Tab and Shift+Tab leave the editor as
 * they leave a textarea. Syntax errors get an inline marker (jsonParseLinter, with a Swedish
 * message); the server's check errors are marked at their question's `"name"`.
 */
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { Compartment, EditorState } from '@codemirror/state';
import { basicSetup, EditorView } from 'codemirror';

export interface JsonEditorHandle {
  /** Sets aria-describedby / aria-invalid on the editable content (they follow the React state). */
  setAttributes: (attrs: Record<string, string>) => void;
  destroy: () => void;
}

const theme = EditorView.theme({
  '&': { border: '1px solid #6b7380', borderRadius: '4px', background: '#fff', fontSize: '0.9rem' },
  '&.cm-focused': { outline: '3px solid #1d4ed8', outlineOffset: '2px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', minHeight: '20rem', maxHeight: '42rem' },
  // The default gutter grey (#999 on #f5f5f5) is below WCAG AA contrast.
  '.cm-gutters': { color: '#4b5563', background: '#f3f4f6', borderRight: '1px solid #d1d5db' },
  '.cm-activeLineGutter': { background: '#e5e7eb', color: '#111827' },
});

/** Where `"name": "<question>"` is in the text, for the server's check errors. */
function questionRange(text: string, question: string): { from: number; to: number } | null {
  const escaped = JSON.stringify(question).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`"name"\\s*:\\s*${escaped}`).exec(text);
  return m ? { from: m.index, to: m.index + m[0].length } : null;
}

function linePosition(state: EditorState, pos: number): string {
  const line = state.doc.lineAt(pos);
  return `rad ${line.number}, kolumn ${pos - line.from + 1}`;
}

/**
 * Puts CodeMirror into `slot` (an empty element) in place of `textarea` (hidden, kept in sync)
 * and returns a handle. `checkErrors` are the server's check errors of the saved text;
 * `onChange` gets every edit.
 */
export function mountJsonEditor(
  textarea: HTMLTextAreaElement,
  slot: HTMLElement,
  options: { label: string; readOnly: boolean; checkErrors: () => { message: string; question: string | null }[]; onChange: (text: string) => void },
): JsonEditorHandle {
  const parseLinter = jsonParseLinter();
  const syntax = linter(
    (view) =>
      parseLinter(view).map((d): Diagnostic => {
        // jsonParseLinter gives a point; mark the character there (the last one at the end) so the underline shows.
        const length = view.state.doc.length;
        const from = d.from < length ? d.from : Math.max(0, length - 1);
        return { ...d, from, to: Math.min(length, from + 1), message: `Texten är inte giltig JSON här (${linePosition(view.state, d.from)}).`, source: 'JSON' };
      }),
    { delay: 300 },
  );
  const checks = linter((view) => {
    const text = view.state.doc.toString();
    const out: Diagnostic[] = [];
    for (const e of options.checkErrors()) {
      const at = e.question ? questionRange(text, e.question) : null;
      if (at) out.push({ ...at, severity: 'error', message: `${e.message} (från den senaste kontrollen)`, source: 'Kontroll' });
    }
    return out;
  });
  const attributes = new Compartment();
  // tabindex: the content is in the tab order anyway (contenteditable); axe only counts the
  // scroller as keyboard-reachable when a descendant has a tabindex.
  const base = { 'aria-label': options.label, tabindex: '0', ...(options.readOnly ? { 'aria-readonly': 'true' } : {}) };
  const view = new EditorView({
    parent: slot,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        basicSetup,
        json(),
        syntax,
        checks,
        lintGutter(),
        theme,
        EditorView.lineWrapping,
        EditorState.readOnly.of(options.readOnly),
        attributes.of(EditorView.contentAttributes.of(base)),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          textarea.value = update.state.doc.toString();
          options.onChange(textarea.value);
        }),
      ],
    }),
  });
  textarea.hidden = true;
  return {
    setAttributes: (attrs) => view.dispatch({ effects: attributes.reconfigure(EditorView.contentAttributes.of({ ...base, ...attrs })) }),
    destroy: () => {
      view.destroy();
      textarea.hidden = false;
    },
  };
}
