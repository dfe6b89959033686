/**
 * React 18.3.1's renderToPipeableStream wrote its whole 2 048-byte view when a string did not fit,
 * zero bytes after the last character included: NUL bytes in the HTML just before a multi-byte
 * character (`Västra G\0ötalands län`). patches/react-dom+18.3.1.patch (applied by patch-package
 * on `npm ci`) writes only the bytes encoded. Both builds are checked: production runs the
 * minified one, tests and `remix dev` the development one.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// The cjs files are not in react-dom's exports map: load them by path.
const reactDomDir = path.dirname(require.resolve('react-dom/package.json'));
type Server = typeof import('react-dom/server');

function render(server: Server, texts: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sink = new PassThrough();
    sink.on('data', (c: Buffer) => chunks.push(c));
    sink.on('end', () => resolve(Buffer.concat(chunks)));
    const tree = createElement('ul', null, ...texts.map((t, i) => createElement('li', { key: i, title: t }, t)));
    const { pipe } = server.renderToPipeableStream(tree, { onAllReady: () => pipe(sink), onError: reject });
  });
}

// Strings of every length around the view size, each with multi-byte characters (2, 3 and 4 bytes)
// at every offset, so some character always straddles the end of a view.
const texts = Array.from({ length: 400 }, (_, i) => `${'x'.repeat(i % 97)}Västra Götalands län – ${'å'.repeat(i % 13)}€😀`);

describe.each([
  ['production', 'cjs/react-dom-server.node.production.min.js'],
  ['development', 'cjs/react-dom-server.node.development.js'],
])('react-dom/server (%s build)', (_name, file) => {
  it('streams HTML without NUL bytes, byte for byte what the strings encode to', async () => {
    const server = require(path.join(reactDomDir, file)) as Server;
    const html = await render(server, texts);
    expect(html.length).toBeGreaterThan(20_000);
    expect(html.indexOf(0), 'offset of the first NUL byte').toBe(-1);
    const text = html.toString('utf8');
    expect(text).not.toContain('\uFFFD');
    for (const t of texts) expect(text).toContain(`title="${t}">${t}</li>`);
  });
});
