import type { ReactNode } from 'react';

/**
 * A labelled form field with hint and error. `children` gets the attributes the input needs
 * (id, name, aria-invalid, aria-describedby) so the error is announced with the field.
 * @example <Field name="title" label="Titel" error={errors.title}>{(p) => <input {...p} />}</Field>
 */
export function Field({ name, label, hint, error, children }: {
  name: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  children: (props: { id: string; name: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = `f-${name}`;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {children({ id, name, ...(error ? { 'aria-invalid': true as const } : {}), ...(described ? { 'aria-describedby': described } : {}) })}
      {error ? (
        <span className="error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** A list of the form's errors at the top, linking to each field (focus target after submit). */
export function ErrorSummary({ errors }: { errors: Record<string, string | undefined> }) {
  const entries = Object.entries(errors).filter(([, v]) => v);
  if (entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1}>
      <h2>Formuläret behöver rättas</h2>
      <ul>
        {entries.map(([name, message]) => (
          <li key={name}>
            <a href={`#f-${name}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
