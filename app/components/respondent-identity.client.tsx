import { useState } from 'react';
import type { Identity } from './respondent-sync.client';

/**
 * "Vem fyller i?": the respondent's name (shown to colleagues as who last saved) and an
 * optional e-mail address for the receipt. Asked once and remembered in this browser.
 */
export function IdentityForm({ initial, onSave, onCancel }: { initial: Identity | null; onSave: (id: Identity) => void; onCancel?: () => void }) {
  const [name, setName] = useState(initial?.name ?? '');
  const [email, setEmail] = useState(initial?.email ?? '');
  const [error, setError] = useState<{ name?: string; email?: string }>({});
  return (
    <form
      className="respondent-identity"
      aria-labelledby="identity-heading"
      onSubmit={(e) => {
        e.preventDefault();
        const problems: { name?: string; email?: string } = {};
        if (!name.trim()) problems.name = 'Skriv ditt namn.';
        if (email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) problems.email = 'Skriv en giltig e-postadress, eller lämna fältet tomt.';
        setError(problems);
        if (!problems.name && !problems.email) onSave({ name: name.trim().slice(0, 200), email: email.trim() });
      }}
    >
      <h2 id="identity-heading">
        Vem fyller i?
      </h2>
      <p>Ditt namn visas för kollegor som fyller i samma formulär. Ange e-post om du vill ha en kvittens när svaret skickas in.</p>
      <div className="field">
        <label htmlFor="respondent-name">Ditt namn</label>
        <input id="respondent-name" name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={error.name ? true : undefined} aria-describedby={error.name ? 'respondent-name-error' : undefined} />
        {error.name ? (
          <span id="respondent-name-error" className="error">
            {error.name}
          </span>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor="respondent-email">E-post för kvittens (frivilligt)</label>
        <input id="respondent-email" name="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={error.email ? true : undefined} aria-describedby={error.email ? 'respondent-email-error' : undefined} />
        {error.email ? (
          <span id="respondent-email-error" className="error">
            {error.email}
          </span>
        ) : null}
      </div>
      <button type="submit">{initial ? 'Spara' : 'Börja fylla i'}</button>
      {onCancel ? (
        <button type="button" className="secondary" onClick={onCancel}>
          Avbryt
        </button>
      ) : null}
    </form>
  );
}
