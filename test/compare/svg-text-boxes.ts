import { SaxesParser, type SaxesTagPlain } from 'saxes';

/**
 * Estimated boxes of every line of text in an SVG, for layout tests: positions from the
 * translate() transforms, nested <svg x y>, x/y/dx/dy (px or em) of <text> and <tspan>, the
 * inherited text-anchor and font size (attribute or style); the width estimated as
 * characters × CHAR_EM × font size, the height as one font size around the baseline.
 */

export const CHAR_EM = 0.6;

export interface TextBox {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

interface Frame {
  x: number;
  y: number;
  fontSize: number;
  anchor: string;
}

const translate = (transform: string | undefined): [number, number] => {
  const m = /translate\(\s*(-?[\d.]+)(?:[ ,]+(-?[\d.]+))?\s*\)/.exec(transform ?? '');
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : [0, 0];
};

const length = (value: string | undefined, fontSize: number): number | undefined => {
  if (value === undefined || value === '') return undefined;
  return value.endsWith('em') ? Number(value.slice(0, -2)) * fontSize : Number(value.replace(/px$/, ''));
};

/** The text boxes of an SVG document, and the width of its root element. */
export function textBoxes(svg: string): { width: number; height: number; boxes: TextBox[] } {
  const parser = new SaxesParser({ xmlns: false });
  const stack: Frame[] = [{ x: 0, y: 0, fontSize: 16, anchor: 'start' }];
  const boxes: TextBox[] = [];
  let root: { width: number; height: number } | undefined;
  let pen: { x: number; y: number } | null = null;
  let line: { text: string; frame: Frame; x: number; y: number } | null = null;
  const flush = () => {
    if (line && line.text.trim()) {
      const { frame, x, y, text } = line;
      const w = text.length * CHAR_EM * frame.fontSize;
      const left = frame.anchor === 'middle' ? x - w / 2 : frame.anchor === 'end' ? x - w : x;
      boxes.push({ text, left, right: left + w, top: y - 0.8 * frame.fontSize, bottom: y + 0.2 * frame.fontSize });
    }
    line = null;
  };
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const a = tag.attributes as Record<string, string>;
    const parent = stack[stack.length - 1];
    const styleSize = /font-size:\s*([\d.]+)px/.exec(a.style ?? '')?.[1];
    const fontSize = styleSize ? Number(styleSize) : a['font-size'] ? Number(a['font-size']) : parent.fontSize;
    const anchor = /text-anchor:\s*(\w+)/.exec(a.style ?? '')?.[1] ?? a['text-anchor'] ?? parent.anchor;
    const [tx, ty] = translate(a.transform);
    const frame: Frame = { x: parent.x + tx, y: parent.y + ty, fontSize, anchor };
    if (tag.name === 'svg') {
      if (!root) root = { width: Number(a.width), height: Number(a.height) };
      else {
        frame.x += Number(a.x ?? 0);
        frame.y += Number(a.y ?? 0);
      }
    }
    if (tag.name === 'text') {
      pen = { x: frame.x + (length(a.x, fontSize) ?? 0), y: frame.y + (length(a.y, fontSize) ?? 0) };
      pen.x += length(a.dx, fontSize) ?? 0;
      pen.y += length(a.dy, fontSize) ?? 0;
      line = { text: '', frame, x: pen.x, y: pen.y };
    }
    if (tag.name === 'tspan' && pen) {
      flush();
      const base = { x: parent.x, y: parent.y }; // the <text> element's frame
      if (a.x !== undefined) pen.x = base.x + length(a.x, fontSize)!;
      if (a.y !== undefined) pen.y = base.y + length(a.y, fontSize)!;
      pen.x += length(a.dx, fontSize) ?? 0;
      pen.y += length(a.dy, fontSize) ?? 0;
      line = { text: '', frame, x: pen.x, y: pen.y };
    }
    stack.push(frame);
  });
  parser.on('text', (t) => {
    if (line) line.text += t;
  });
  parser.on('closetag', (tag) => {
    stack.pop();
    if (tag.name === 'text' || tag.name === 'tspan') flush();
    if (tag.name === 'text') pen = null;
  });
  parser.write(svg).close();
  return { ...root!, boxes };
}

/** Pairs of boxes that overlap, and boxes that leave the picture, as readable lines. */
export function layoutProblems(svg: string): string[] {
  const { width, height, boxes } = textBoxes(svg);
  const problems: string[] = [];
  for (const b of boxes) if (b.left < 0 || b.right > width || b.top < 0 || b.bottom > height) problems.push(`outside ${width}×${height}: "${b.text}"`);
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) problems.push(`"${a.text}" overlaps "${b.text}"`);
    }
  return problems;
}
