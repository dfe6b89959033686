import { Form } from '@remix-run/react';
import { Field } from '~/components/admin-field';
import { CsrfInput } from '~/components/csrf-input';

export interface EditableQuestion {
  name: string;
  title: string;
  type: string;
  choices: { value: string; label: string }[];
}

const TYPES = { text: 'Kort text', comment: 'Lång text', number: 'Tal', radiogroup: 'Ett alternativ', checkbox: 'Flera alternativ', boolean: 'Ja/nej' };

/**
 * The common edits of a draft without JSON: a question's text, a choice (new or relabelled) and
 * a new question of a basic type. Each form posts `intent=edit` with its `op`; `errors` are the
 * field errors of the form that was sent (`form` names it).
 */
export function SurveyDraftEdits({ csrf, questions, pages, form, errors }: { csrf: string; questions: EditableQuestion[]; pages: string[]; form?: string; errors: Record<string, string> }) {
  const err = (op: string, field: string) => (form === op ? errors[field] : undefined);
  const withChoices = questions.filter((q) => q.choices.length);
  return (
    <div className="draft-edits">
      <Form method="post" aria-labelledby="edit-title-h">
        <h3 id="edit-title-h">Ändra en frågetext</h3>
        <CsrfInput token={csrf} />
        <input type="hidden" name="intent" value="edit" />
        <input type="hidden" name="op" value="question_title" />
        <Field name="qt-name" label="Fråga" error={err('question_title', 'name')}>
          {(p) => (
            <select {...p} name="name">
              {questions.map((q) => (
                <option key={q.name} value={q.name}>
                  {q.name}: {q.title.slice(0, 60)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="qt-title" label="Ny frågetext" error={err('question_title', 'title')}>
          {(p) => <textarea {...p} name="title" rows={2} required />}
        </Field>
        <button type="submit">Spara frågetexten</button>
      </Form>

      <Form method="post" aria-labelledby="edit-choice-h">
        <h3 id="edit-choice-h">Lägg till eller döp om ett svarsalternativ</h3>
        <CsrfInput token={csrf} />
        <input type="hidden" name="intent" value="edit" />
        <Field name="ch-name" label="Fråga" error={err('add_choice', 'name') ?? err('choice_label', 'name')}>
          {(p) => (
            <select {...p} name="name">
              {withChoices.map((q) => (
                <option key={q.name} value={q.name}>
                  {q.name} ({q.choices.map((c) => c.value).join(', ')})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="ch-value" label="Kod" hint="Små bokstäver a–z, siffror och understreck. En befintlig kod får ny text; en ny kod läggs till sist." error={err('add_choice', 'value') ?? err('choice_label', 'value')}>
          {(p) => <input {...p} name="value" required autoComplete="off" />}
        </Field>
        <Field name="ch-label" label="Text" error={err('add_choice', 'label') ?? err('choice_label', 'label')}>
          {(p) => <input {...p} name="label" required />}
        </Field>
        <button type="submit" name="op" value="add_choice">
          Lägg till alternativet
        </button>{' '}
        <button type="submit" name="op" value="choice_label">
          Byt text på alternativet
        </button>
      </Form>

      <Form method="post" aria-labelledby="edit-question-h">
        <h3 id="edit-question-h">Lägg till en fråga</h3>
        <CsrfInput token={csrf} />
        <input type="hidden" name="intent" value="edit" />
        <input type="hidden" name="op" value="add_question" />
        <Field name="aq-page" label="Sida" error={err('add_question', 'page')}>
          {(p) => (
            <select {...p} name="page">
              {pages.map((pg) => (
                <option key={pg}>{pg}</option>
              ))}
            </select>
          )}
        </Field>
        <Field name="aq-name" label="Nyckel" hint="Frågans namn i svaren och exporterna, t.ex. samverkan_skola." error={err('add_question', 'name')}>
          {(p) => <input {...p} name="name" required autoComplete="off" />}
        </Field>
        <Field name="aq-type" label="Typ" error={err('add_question', 'type')}>
          {(p) => (
            <select {...p} name="type">
              {Object.entries(TYPES).map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="aq-title" label="Frågetext" error={err('add_question', 'title')}>
          {(p) => <textarea {...p} name="title" rows={2} required />}
        </Field>
        <Field name="aq-choices" label="Svarsalternativ (för Ett/Flera alternativ)" hint="Ett per rad, som kod|text, t.ex. ja|Ja." error={err('add_question', 'choices')}>
          {(p) => <textarea {...p} name="choices" rows={3} />}
        </Field>
        <button type="submit">Lägg till frågan</button>
      </Form>
    </div>
  );
}
