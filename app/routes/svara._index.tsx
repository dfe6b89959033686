import type { MetaFunction } from '@remix-run/node';

export const meta: MetaFunction = () => [{ title: 'Svara – Enkätnav' }];

export default function Svara() {
  return (
    <>
      <h1>Svara</h1>
      <p>
        Du svarar genom den personliga länk som kom i inbjudan via e-post. Länken leder direkt till din organisations
        formulär, där du kan spara och fortsätta senare.
      </p>
      <p>Har du tappat bort länken? Kontakta den myndighet som skickade inbjudan.</p>
    </>
  );
}
