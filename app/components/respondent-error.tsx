import { isRouteErrorResponse, useRouteError } from '@remix-run/react';

/**
 * Error page for the respondent routes. A bad link gets the same answer whether the token is
 * malformed, unknown or revoked, so the page reveals nothing about organisations or rounds.
 */
export function RespondentError() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <section className="error-page respondent-error">
        <h1>Länken fungerar inte</h1>
        <p>Vi hittar inget formulär för den här länken. Länken kan vara ofullständig, felskriven eller ersatt av en nyare länk.</p>
        <h2>Gör så här</h2>
        <ol>
          <li>Öppna länken direkt från det senaste e-postmeddelandet med inbjudan eller påminnelse, så att hela länken kommer med.</li>
          <li>Fungerar det ändå inte: kontakta den myndighet som skickade enkäten och be om en ny länk.</li>
        </ol>
        <p>
          <a href="/">Till startsidan</a>
        </p>
      </section>
    );
  }
  return (
    <section className="error-page respondent-error">
      <h1>Något gick fel</h1>
      <p>Sidan kunde inte visas just nu. Det du redan har sparat finns kvar. Ladda om sidan om en stund.</p>
      <p>
        <a href="/">Till startsidan</a>
      </p>
    </section>
  );
}
