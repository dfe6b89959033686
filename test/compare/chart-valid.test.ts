import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { beforeAll, describe, expect, it } from 'vitest';
import { downloadChartSvg } from '../../app/models/comparisons/chart-download.server';
import { computeComparison } from '../../app/models/comparisons/compute.server';
import { parseDefinition } from '../../app/models/comparisons/saved.server';
import { freshDb, type TestDb } from '../helpers/db';
import { loadFixture } from './fixtures';

/**
 * The downloaded chart SVG is valid: well-formed XML in the SVG namespace (saxes, a strict XML
 * parser), no presentation attribute with a value SVG does not have (Plot's
 * font-variant="tabular-nums" was one), and the Nu Html Checker (vnu.jar from the vnu-jar
 * package, run with the machine's Java) reports no error. Both checks are shown to fail on an
 * SVG with the old font-variant attribute put back.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';
const ENUMS: Record<string, string[]> = {
  'font-variant': ['normal', 'small-caps', 'inherit'],
  'text-anchor': ['start', 'middle', 'end', 'inherit'],
  'font-weight': ['normal', 'bold', 'bolder', 'lighter', 'inherit', ...Array.from({ length: 9 }, (_, i) => String((i + 1) * 100))],
};
const shipped = (file: string) => JSON.parse(fs.readFileSync(`surveys/comparisons/${file}.json`, 'utf8'));
const VNU = path.resolve('node_modules/vnu-jar/build/dist/vnu.jar');
const hasJava = spawnSync('java', ['-version']).status === 0 && fs.existsSync(VNU);

/** Problems of an SVG as a strict XML document: parse errors, foreign elements, bad values. */
function xmlProblems(svg: string): string[] {
  const problems: string[] = [];
  const parser = new SaxesParser({ xmlns: true });
  let root: string | undefined;
  parser.on('error', (e) => problems.push(`XML: ${e.message}`));
  parser.on('opentag', (tag) => {
    root ??= `${tag.uri} ${tag.local}`;
    if (tag.uri !== SVG_NS) problems.push(`<${tag.name}> is not in the SVG namespace`);
    for (const [name, attr] of Object.entries(tag.attributes))
      if (ENUMS[name] && !ENUMS[name].includes(attr.value)) problems.push(`${name}="${attr.value}" on <${tag.name}>`);
  });
  parser.write(svg).close();
  if (root !== `${SVG_NS} svg`) problems.push(`root element is ${root}`);
  return problems;
}

/** The old output: Plot's font-variant attribute instead of the CSS property. */
const withOldAttribute = (svg: string) => svg.replace(/ style="font-variant-numeric:tabular-nums"/, ' font-variant="tabular-nums"');

describe('the downloaded chart SVG is valid XML and SVG', () => {
  let t: TestDb;
  const files: Record<string, string> = {};
  beforeAll(async () => {
    t = await freshDb();
    await loadFixture(t);
    // Tabell 9 draws columns, Tabell 10 horizontal bars: both layouts.
    for (const f of ['tabell-9-kommunstorlek', 'tabell-10-kommungrupp']) files[f] = downloadChartSvg(await computeComparison(t.db, parseDefinition(shipped(f))));
    return () => t.destroy();
  });

  it('parses as strict XML in the SVG namespace with valid attribute values', () => {
    for (const svg of Object.values(files)) expect(xmlProblems(svg)).toEqual([]);
    const old = withOldAttribute(files['tabell-9-kommunstorlek']);
    expect(old).not.toBe(files['tabell-9-kommunstorlek']);
    expect(xmlProblems(old)).toEqual(['font-variant="tabular-nums" on <g>']);
    expect(xmlProblems('<svg xmlns="http://www.w3.org/2000/svg"><text x="1" x="2">a</text></svg>').join()).toMatch(/XML: .*duplicate attribute/);
  });

  it.skipIf(!hasJava)('the Nu Html Checker (vnu) reports no error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vnu-'));
    try {
      const paths = Object.entries(files).map(([name, svg]) => {
        fs.writeFileSync(path.join(dir, `${name}.svg`), svg);
        return path.join(dir, `${name}.svg`);
      });
      const bad = path.join(dir, 'old-font-variant.svg');
      fs.writeFileSync(bad, withOldAttribute(files['tabell-9-kommunstorlek']));
      const run = spawnSync('java', ['-jar', VNU, '--svg', '--format', 'json', ...paths, bad], { encoding: 'utf8', timeout: 180_000 });
      const { messages } = JSON.parse(run.stderr) as { messages: { type: string; url: string; message: string }[] };
      const errors = messages.filter((m) => m.type === 'error').map((m) => `${path.basename(m.url)}: ${m.message}`);
      expect(errors).toEqual(['old-font-variant.svg: Bad value “tabular-nums” for attribute “font-variant” on element “g”.']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000); // one JVM start for all three files
});
