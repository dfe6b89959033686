import { Form } from '@remix-run/react';
import { CsrfInput } from '~/components/csrf-input';

interface ReviewView {
  errors: { message: string; question: string | null }[];
  warnings: { message: string; question: string | null; confirmed?: boolean }[];
  blocked: { id: string; effect: string; key: string }[];
  changes: { id: string; breaking: boolean; effect: string; key: string }[];
}

/**
 * The checks of check-survey (each at its question) and the publish button. A breaking change
 * blocks until it is confirmed, one checkbox each, with a reason that goes into the audit log.
 */
export function SurveyPublishForm({ csrf, review, errors, confirmed }: { csrf: string; review: ReviewView; errors: Record<string, string>; confirmed: string[] }) {
  const breaking = review.changes.filter((c) => c.breaking);
  return (
    <>
      {review.errors.length ? (
        <div className="error-summary" id="check-errors">
          <h3>Kontrollen hittade {review.errors.length === 1 ? 'ett fel' : `${review.errors.length} fel`}: rätta innan du publicerar</h3>
          <ul>
            {review.errors.map((e) => (
              <li key={e.message}>
                {e.question ? (
                  <>
                    Fråga <code>{e.question}</code>:{' '}
                  </>
                ) : null}
                {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p>Kontrollen (samma som <code>check-survey</code>) hittade inga fel.</p>
      )}
      {review.warnings.length ? (
        <details>
          <summary>{review.warnings.length} varningar</summary>
          <ul>
            {review.warnings.map((w) => (
              <li key={w.message}>
                {w.question ? <code>{w.question}</code> : null} {w.message}
                {w.confirmed ? ' (bekräftad brytande ändring)' : ''}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {review.blocked.length ? (
        <div className="error-summary" role="alert" id="blocked">
          <h3>Publiceringen är spärrad av {review.blocked.length === 1 ? 'en brytande ändring' : `${review.blocked.length} brytande ändringar`}</h3>
          <ul>
            {review.blocked.map((b) => (
              <li key={b.id}>
                <code>{b.key}</code>: {b.effect}
              </li>
            ))}
          </ul>
          <p>Ångra ändringen, ge frågan ett nytt namn (då blir den en ny fråga), eller bekräfta den nedan med ett skäl.</p>
        </div>
      ) : null}
      <Form method="post" aria-labelledby="publish-h">
        <CsrfInput token={csrf} />
        <input type="hidden" name="intent" value="publish" />
        {breaking.length ? (
          <fieldset>
            <legend>Bekräfta brytande ändringar</legend>
            {breaking.map((c) => (
              <label key={c.id} className="checkbox">
                <input type="checkbox" name="confirm" value={c.id} defaultChecked={confirmed.includes(c.id)} /> <code>{c.key}</code>: {c.effect}
              </label>
            ))}
            <div className="field">
              <label htmlFor="f-reason">Skäl (sparas i loggen)</label>
              <textarea id="f-reason" name="reason" rows={2} aria-invalid={errors.reason ? true : undefined} aria-describedby={errors.reason ? 'f-reason-error' : undefined} />
              {errors.reason ? (
                <span className="error" id="f-reason-error">
                  {errors.reason}
                </span>
              ) : null}
            </div>
          </fieldset>
        ) : null}
        <button type="submit">Publicera</button>
      </Form>
    </>
  );
}
