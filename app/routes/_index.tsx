import type { MetaFunction } from '@remix-run/node';
import { Link } from '@remix-run/react';

export const meta: MetaFunction = () => [{ title: 'Enkätnav' }];

export default function Index() {
  return (
    <>
      <h1>Enkätnav</h1>
      <p className="lead">
        Här lämnar kommuner, regioner, länsstyrelser och organisationer sina årliga återrapporteringar och enkätsvar, och
        myndigheten följer upp svaren och gör jämförelser.
      </p>
      <div className="cards">
        <section className="card">
          <h2>
            <Link to="/svara">Svara</Link>
          </h2>
          <p>För dig som ska fylla i en rapport för din organisation. Du får en personlig länk i e-post.</p>
        </section>
        <section className="card">
          <h2>
            <Link to="/admin">Administrera</Link>
          </h2>
          <p>Öppna omgångar, bjud in, påminn och förläng svarstider.</p>
        </section>
        <section className="card">
          <h2>
            <Link to="/jamfor">Jämför</Link>
          </h2>
          <p>Gör jämförelser av svaren efter län, kommungrupp, storlek och år.</p>
        </section>
      </div>
    </>
  );
}
