/**
 * Build step after `remix build`: writes Brotli (quality 11) and gzip (level 9) copies beside
 * every text asset of the browser build, so the server sends them as they are
 * (express-static-gzip in app/server.ts) instead of compressing each response on the fly at a
 * lower level. The assets have content hashes in their names, so the copies never go stale.
 * On the form page this is about 360 KB of Brotli instead of 440 KB (bench/results.md).
 * Usage: tsx app/tools/precompress.ts [dir]   (default: the build's assets directory)
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const TEXT = /\.(js|mjs|css|svg|json|map|txt)$/;
/** Below this size compression saves less than the headers it adds. */
const MIN_BYTES = 1024;

export async function precompress(dir: string): Promise<{ files: number; bytes: number; brotliBytes: number; gzipBytes: number }> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && TEXT.test(e.name)).map((e) => path.join(e.parentPath, e.name));
  const totals = { files: 0, bytes: 0, brotliBytes: 0, gzipBytes: 0 };
  // zlib's async calls run on libuv's thread pool, so the files compress in parallel.
  await Promise.all(
    files.map(async (file) => {
      const data = await fs.readFile(file);
      if (data.length < MIN_BYTES) return;
      const [br, gz] = await Promise.all([
        brotli(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
        gzip(data, { level: 9 }),
      ]);
      await Promise.all([fs.writeFile(`${file}.br`, br), fs.writeFile(`${file}.gz`, gz)]);
      totals.files++;
      totals.bytes += data.length;
      totals.brotliBytes += br.length;
      totals.gzipBytes += gz.length;
    }),
  );
  return totals;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? (process.env.ENKATNAV_BUILD_DIR ? path.join(process.env.ENKATNAV_BUILD_DIR, 'public') : 'public/build');
  const started = Date.now();
  const t = await precompress(dir);
  const kb = (n: number) => `${Math.round(n / 1000)} KB`;
  process.stdout.write(`Precompressed ${t.files} assets in ${dir}: ${kb(t.bytes)} → ${kb(t.brotliBytes)} Brotli, ${kb(t.gzipBytes)} gzip (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}
