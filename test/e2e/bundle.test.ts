import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Guards the browser bundle of the production build (`npm run build` writes esbuild's metafile):
 * server-only and heavy libraries stay out of it, and SurveyJS loads only on the pages with a form.
 * A module-level `z.object(…)` in a route, for instance, would pull zod (≈ 90 KB gzipped) into
 * every page; bench/results.md measures what the pages transfer.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const BUILD = process.env.ENKATNAV_BUILD_DIR ? path.resolve(ROOT, process.env.ENKATNAV_BUILD_DIR) : path.join(ROOT, 'build');

interface Metafile {
  outputs: Record<string, { entryPoint?: string; imports?: { path: string }[]; inputs: Record<string, { bytesInOutput: number }> }>;
}

describe('browser bundle', () => {
  const meta = JSON.parse(fs.readFileSync(path.join(BUILD, 'metafile.js.json'), 'utf8')) as Metafile;
  const scripts = Object.entries(meta.outputs).filter(([out]) => out.endsWith('.js'));
  /** Output files that contain code from a package, e.g. 'zod' or 'survey-core'. */
  const containing = (pkg: string) => scripts.filter(([, o]) => Object.entries(o.inputs).some(([input, i]) => i.bytesInOutput > 0 && input.includes(`node_modules/${pkg}/`))).map(([out]) => out);

  it('holds no server-only or heavy packages', () => {
    for (const pkg of ['zod', 'kysely', 'better-sqlite3', 'pg', 'exceljs', '@observablehq/plot', 'd3-geo', 'linkedom', 'nodemailer', 'pino', 'csv-parse', 'csv-stringify']) {
      expect(containing(pkg), pkg).toEqual([]);
    }
  });

  it('loads SurveyJS only from the routes that show a form', () => {
    const surveyChunks = new Set([...containing('survey-core'), ...containing('survey-react-ui')]);
    expect(surveyChunks.size).toBeGreaterThan(0);
    // Which route entry points reach a SurveyJS chunk through their static imports.
    const reaches = (out: string, seen = new Set<string>()): boolean => {
      if (surveyChunks.has(out)) return true;
      if (seen.has(out)) return false;
      seen.add(out);
      return (meta.outputs[out]?.imports ?? []).some((i) => reaches(i.path, seen));
    };
    const routes = scripts
      .filter(([, o]) => o.entryPoint?.startsWith('browser-route-module:'))
      .filter(([out]) => reaches(out))
      .map(([, o]) => o.entryPoint!.replace(/^browser-route-module:routes\/(.*)\?browser$/, '$1'))
      .sort();
    expect(routes).toEqual(['enkater.$id.tsx', 'svar.$token._index.tsx']);
  });
});
