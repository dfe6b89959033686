import { Form } from '@remix-run/react';
import { CsrfInput } from '~/components/csrf-input';
import { SurveyMetaFields, type MetaValues } from '~/components/survey-meta-fields';

/** A draft's own metadata (family and year stay: they make its id), and deleting the draft. */
export function SurveyDraftMeta({ csrf, values, form, errors }: { csrf: string; values: MetaValues; form?: string; errors: Record<string, string> }) {
  return (
    <>
      <h2 id="meta-h">Uppgifter om versionen</h2>
      <Form method="post" aria-labelledby="meta-h" className="admin-form">
        <CsrfInput token={csrf} />
        <input type="hidden" name="intent" value="meta" />
        <SurveyMetaFields errors={form === 'meta' ? errors : {}} values={values} />
        <button type="submit">Spara uppgifterna</button>
      </Form>
      <h2 id="delete-h">Ta bort utkastet</h2>
      <Form method="post" aria-labelledby="delete-h" className="admin-form">
        <CsrfInput token={csrf} />
        <input type="hidden" name="intent" value="delete" />
        <p>Utkastet tas bort helt. Publicerade versioner och versioner som används i en omgång kan inte tas bort.</p>
        <label className="checkbox">
          <input type="checkbox" name="confirm" value="ja" aria-describedby={form === 'delete' && errors.confirm ? 'f-confirm-error' : undefined} /> Ja, ta bort utkastet
        </label>
        {form === 'delete' && errors.confirm ? (
          <span className="error" id="f-confirm-error">
            {errors.confirm}
          </span>
        ) : null}
        <button type="submit">
          Ta bort utkastet
        </button>
      </Form>
    </>
  );
}
