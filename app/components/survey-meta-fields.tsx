import { ORGANISATION_KINDS } from '../../db/schema';
import { Field } from '~/components/admin-field';
import { KIND_LABELS } from '~/utils/organisation-kinds';

export interface MetaValues {
  family?: string;
  year?: number;
  title?: string;
  description?: string;
  audience?: string[] | 'person';
  defaultDeadline?: string;
  source?: string;
}

/**
 * The metadata of a survey version as form fields (upload, and a draft's own metadata).
 * `withFamily` adds family and year, which make the id and are fixed after creation.
 */
export function SurveyMetaFields({ errors, values = {}, withFamily = false }: { errors: Record<string, string | undefined>; values?: MetaValues; withFamily?: boolean }) {
  const audience = values.audience ?? [];
  return (
    <>
      {withFamily ? (
        <>
          <Field name="family" label="Familj" hint="Samma familj för alla år av samma enkät, t.ex. oj-vinr." error={errors.family}>
            {(p) => <input {...p} defaultValue={values.family} autoComplete="off" />}
          </Field>
          <Field name="year" label="År" error={errors.year}>
            {(p) => <input {...p} type="number" inputMode="numeric" min={1990} max={2100} defaultValue={values.year} />}
          </Field>
        </>
      ) : null}
      <Field name="title" label="Titel" error={errors.title}>
        {(p) => <input {...p} defaultValue={values.title} />}
      </Field>
      <Field name="description" label="Beskrivning" error={errors.description}>
        {(p) => <textarea {...p} rows={2} defaultValue={values.description} />}
      </Field>
      <fieldset className="field" aria-describedby={errors.audience ? 'f-audience-error' : undefined}>
        <legend>Målgrupp</legend>
        {[...ORGANISATION_KINDS, 'person' as const].map((k) => (
          <label key={k} className="checkbox">
            <input type="checkbox" name="audience" value={k} defaultChecked={audience === 'person' ? k === 'person' : audience.includes(k)} />{' '}
            {k === 'person' ? 'Personer (namngivna)' : KIND_LABELS[k].many}
          </label>
        ))}
        {errors.audience ? (
          <span className="error" id="f-audience-error">
            {errors.audience}
          </span>
        ) : null}
      </fieldset>
      <Field name="defaultDeadline" label="Sista svarsdag (MM-DD)" hint="Förval för nya omgångar, t.ex. 03-15." error={errors.defaultDeadline}>
        {(p) => <input {...p} defaultValue={values.defaultDeadline} placeholder="03-15" />}
      </Field>
      <Field name="source" label="Källa" error={errors.source}>
        {(p) => <input {...p} defaultValue={values.source} />}
      </Field>
    </>
  );
}
