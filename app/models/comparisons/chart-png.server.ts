import fs from 'node:fs';
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import { downloadChartSvg } from './chart-download.server';
import type { ComparisonResult } from './compute.server';

/**
 * The downloaded chart as PNG: the same standalone figure as the SVG (title, legend, n per group,
 * suppression note, source line), rasterised on the server with resvg at twice the SVG's size.
 * resvg draws text only with fonts it has loaded: DejaVu Sans (Debian's fonts-dejavu-core) or
 * Liberation Sans when installed, which both cover å, ä and ö; otherwise the system's fonts.
 */

export const PNG_SCALE = 2;

const FONTS: { family: string; files: string[] }[] = [
  { family: 'DejaVu Sans', files: ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'] },
  {
    family: 'Liberation Sans',
    files: ['/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf'],
  },
];

let fontOptions: ResvgRenderOptions['font'] | undefined;

/** The fonts resvg loads: the first known sans-serif family on disk, else every system font. */
export function pngFonts(): NonNullable<ResvgRenderOptions['font']> {
  if (!fontOptions) {
    const found = FONTS.find((f) => fs.existsSync(f.files[0]));
    fontOptions = found
      ? { loadSystemFonts: false, fontFiles: found.files.filter((file) => fs.existsSync(file)), defaultFontFamily: found.family, sansSerifFamily: found.family }
      : { loadSystemFonts: true };
  }
  return fontOptions;
}

/** Any SVG as PNG at PNG_SCALE times its size, on a white background. */
export async function svgToPng(svg: string): Promise<Buffer> {
  const image = await renderAsync(svg, { font: pngFonts(), fitTo: { mode: 'zoom', value: PNG_SCALE }, background: 'white', logLevel: 'off' });
  return image.asPng();
}

/** The standalone PNG file of a comparison's chart. */
export function downloadChartPng(result: ComparisonResult): Promise<Buffer> {
  return svgToPng(downloadChartSvg(result));
}
