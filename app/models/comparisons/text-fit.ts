/**
 * Text measurement for the charts' layout without a browser: an estimate per character that is
 * a little wider than DejaVu Sans and the usual system-ui fonts (about 0.55 em on average), so a
 * label given room by these numbers gets at least that much on the page, in the SVG and the PNG.
 */

export const CHAR_EM = 0.62;
export const BOLD_CHAR_EM = 0.68;

/** Estimated width in px of one line of text. */
export const textWidth = (text: string, fontSize: number, em = CHAR_EM) => text.length * em * fontSize;

/**
 * Words into lines no wider than maxWidth; a word longer than a line is cut with a hyphen, so
 * every line fits whatever the text.
 */
export function wrapText(text: string, maxWidth: number, fontSize: number, em = CHAR_EM): string[] {
  const perLine = Math.max(2, Math.floor(maxWidth / (em * fontSize)));
  const lines: string[] = [];
  let current = '';
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > perLine) {
      if (current) lines.push(current);
      current = '';
      lines.push(`${word.slice(0, perLine - 1)}-`);
      word = word.slice(perLine - 1);
    }
    if (!current) current = word;
    else if (current.length + 1 + word.length <= perLine) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current || lines.length === 0) lines.push(current);
  return lines;
}

/** The number of whole words' lines, or null when a word alone is wider than maxWidth. */
export function wrapsWithoutCutting(text: string, maxWidth: number, fontSize: number): number | null {
  return text.split(/\s+/).some((w) => textWidth(w, fontSize) > maxWidth) ? null : wrapText(text, maxWidth, fontSize).length;
}
