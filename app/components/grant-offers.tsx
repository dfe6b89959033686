import { Form } from '@remix-run/react';
import { CsrfInput } from '~/components/csrf-input';
import { dateOnly, kronor } from '~/utils/admin-labels';

export interface OfferView {
  ledgerId: number;
  programName: string;
  year: number;
  allocatedSek: number;
  deadline: string;
  extended: boolean;
  open: boolean;
  requestedAt: string | null;
  requestedBy: string | null;
  declinedAt: string | null;
  paidSek: number | null;
  usedSek: number | null;
  repaidSek: number;
  reclaimedSek: number;
  reclaimReason: string | null;
  statusLabel: string;
}

/** The organisation's grants: rekvisition (signed by name and role), or a decline, and what followed. */
export function GrantOffers({ offers, csrf, canSign, error }: { offers: OfferView[]; csrf: string; canSign: boolean; error?: { ledgerId: number; message: string } }) {
  return (
    <section aria-labelledby="grants-heading">
      <h2 id="grants-heading">Medel att rekvirera ({offers.length})</h2>
      {offers.map((o) => (
        <article key={o.ledgerId} className="grant-offer" aria-labelledby={`offer-${o.ledgerId}`}>
          <h3 id={`offer-${o.ledgerId}`}>
            {o.programName} {o.year}: {kronor(o.allocatedSek)}
          </h3>
          <p>
            Status: {o.statusLabel}. Sista dag för rekvisition: {dateOnly(o.deadline)}
            {o.extended ? ' (förlängd)' : ''}.
            {o.requestedAt ? ` Rekvirerat ${dateOnly(o.requestedAt)} av ${o.requestedBy}.` : ''}
            {o.declinedAt ? ` Avstått ${dateOnly(o.declinedAt)}.` : ''}
            {o.paidSek != null ? ` Utbetalt ${kronor(o.paidSek)}.` : ''}
            {o.usedSek != null ? ` Förbrukat ${kronor(o.usedSek)}, återbetalt ${kronor(o.repaidSek)}.` : ''}
          </p>
          {o.reclaimedSek ? (
            <p className="notice">
              Återkrav: {kronor(o.reclaimedSek)}. Skäl: {o.reclaimReason}
            </p>
          ) : null}
          {error?.ledgerId === o.ledgerId ? (
            <p className="error" role="alert" id={`offer-error-${o.ledgerId}`}>
              {error.message}
            </p>
          ) : null}
          {o.open && canSign ? (
            <Form method="post" className="stack">
              <CsrfInput token={csrf} />
              <input type="hidden" name="ledgerId" value={o.ledgerId} />
              <div className="field">
                <label htmlFor={`name-${o.ledgerId}`}>Namn på den som undertecknar</label>
                <input id={`name-${o.ledgerId}`} name="name" required autoComplete="name" />
              </div>
              <div className="field">
                <label htmlFor={`role-${o.ledgerId}`}>Befattning</label>
                <input id={`role-${o.ledgerId}`} name="role" required autoComplete="organization-title" />
              </div>
              <p className="hint">Kvittensen skickas till din e-postadress.</p>
              <div className="action-row">
                <button type="submit" name="decision" value="request">
                  Rekvirera {kronor(o.allocatedSek)}
                </button>
                <button type="submit" name="decision" value="decline" className="secondary">
                  Avstå
                </button>
              </div>
            </Form>
          ) : null}
        </article>
      ))}
    </section>
  );
}
