import { securityHeaders } from '../../utils/security-headers.server';

/**
 * Warnings for a form that loads media from other hosts, which the app's Content-Security-Policy
 * blocks in the respondent's browser (the image stays broken, the video or page empty, the
 * choice list unloaded): image questions' `imageLink` (image, video or YouTube by `contentMode`
 * or the address), imagepicker choices, `<img>`, `<video>`, `<audio>`, `<source>`, `<iframe>`
 * in html questions and other HTML texts, the survey's `logo` and `backgroundImage`, and
 * `choicesByUrl`. The policy is read from `securityHeaders`, so the check follows it.
 */

type Kind = 'image' | 'video' | 'audio' | 'frame' | 'choices';

const DIRECTIVE: Record<Kind, string> = { image: 'img-src', video: 'media-src', audio: 'media-src', frame: 'frame-src', choices: 'connect-src' };
const NOUN: Record<Kind, string> = { image: 'an image', video: 'a video', audio: 'a sound', frame: 'a page (frame)', choices: 'its choices' };
const ADVICE: Record<Kind, string> = {
  image: 'put the image in the form as a data: URL, serve it from this site, or remove it',
  video: 'serve the file from this site, or link to the video in a text instead of embedding it',
  audio: 'serve the file from this site, or link to it in a text instead',
  frame: 'link to the page in a text instead of embedding it',
  choices: 'write the choices into the form',
};
const CHILDREN = new Set(['elements', 'questions', 'templateElements', 'pages']);
const TAGS: [RegExp, Kind][] = [
  [/<img\b[^>]*?\ssrc\s*=\s*["']?([^"'\s>]+)/gi, 'image'],
  [/<(?:video|audio)\b[^>]*?\sposter\s*=\s*["']?([^"'\s>]+)/gi, 'image'],
  [/<video\b[^>]*?\ssrc\s*=\s*["']?([^"'\s>]+)/gi, 'video'],
  [/<(?:audio|track)\b[^>]*?\ssrc\s*=\s*["']?([^"'\s>]+)/gi, 'audio'],
  [/<source\b[^>]*?\ssrc\s*=\s*["']?([^"'\s>]+)/gi, 'video'],
  [/<(?:iframe|embed)\b[^>]*?\ssrc\s*=\s*["']?([^"'\s>]+)/gi, 'frame'],
  [/<object\b[^>]*?\sdata\s*=\s*["']?([^"'\s>]+)/gi, 'frame'],
];
const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The policy's sources for a directive, with CSP's fallbacks (to child-src, default-src). */
function sources(directive: string): { from: string; values: string[] } {
  const csp = securityHeaders('check', false)['Content-Security-Policy'];
  const policy = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values] as const),
  );
  const chain = directive === 'frame-src' ? [directive, 'child-src', 'default-src'] : [directive, 'default-src'];
  const from = chain.find((d) => policy.has(d));
  return from ? { from, values: policy.get(from)! } : { from: directive, values: ['*'] };
}

/** The host a URL is blocked from (or its scheme, for data:/blob:), or null when the policy allows it. */
function blockedOrigin(url: string, allowed: string[]): string | null {
  const u = url.trim();
  const web = /^(?:(https?):)?\/\/([^/?#\s]+)/i.exec(u);
  if (web) {
    const host = web[2].toLowerCase().replace(/^[^@]*@/, '');
    const ok = allowed.some((s) => {
      if (s === '*') return true;
      const m = /^(?:(https?):\/\/)?(\*\.)?([^/:]+)/i.exec(s);
      return !!m && !s.startsWith("'") && (m[2] ? host.endsWith(`.${m[3].toLowerCase()}`) : host === m[3].toLowerCase());
    });
    return ok ? null : host;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(u)?.[1].toLowerCase();
  if (scheme) return allowed.includes(`${scheme}:`) ? null : `${scheme}:`;
  return allowed.includes("'self'") || !u ? null : 'this site';
}

function imageKind(el: Record<string, any>, url: string): Kind {
  if (el.type !== 'image') return 'image';
  if (el.contentMode === 'video') return 'video';
  if (el.contentMode === 'youtube' || (el.contentMode !== 'image' && /(^|\/\/|\.)(youtube\.com|youtu\.be)\//i.test(url))) return 'frame';
  if (el.contentMode !== 'image' && /\.(mp4|webm|ogv|ogg|mov|m4v)([?#]|$)/i.test(url)) return 'video';
  return 'image';
}

interface Ref {
  kind: Kind;
  url: string;
  where: string;
}

/** The media addresses an element (or the survey itself) refers to, not those of its children. */
function refsOf(el: Record<string, any>): Ref[] {
  const refs: Ref[] = [];
  const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : isObject(v) ? Object.values(v).flatMap(strings) : []);
  const visit = (v: unknown, key: string) => {
    if (Array.isArray(v)) return v.forEach((item) => visit(item, key));
    if (isObject(v)) {
      for (const [k, val] of Object.entries(v)) {
        if (CHILDREN.has(k) && v === el) continue;
        if (k === 'imageLink') for (const url of strings(val)) refs.push({ kind: imageKind(el, url), url, where: key === 'choices' ? 'imageLink of a choice' : 'imageLink' });
        else if ((k === 'logo' || k === 'backgroundImage') && v === el) for (const url of strings(val)) refs.push({ kind: 'image', url, where: k });
        else if (k === 'choicesByUrl' && isObject(val) && typeof val.url === 'string') refs.push({ kind: 'choices', url: val.url, where: 'choicesByUrl' });
        else visit(val, v === el ? k : key);
      }
      return;
    }
    if (typeof v === 'string' && v.includes('<'))
      for (const [re, kind] of TAGS) for (const m of v.matchAll(re)) refs.push({ kind, url: m[1], where: `${/\sposter\s*=/i.test(m[0]) ? 'poster of ' : ''}<${/<(\w+)/.exec(m[0])![1].toLowerCase()}> in ${key}` });
  };
  visit(el, '');
  return refs;
}

/**
 * One warning per element, host and kind: what loads from where, that the policy blocks it, and
 * what to do. `elements` are the form's element objects (rawElements), `survey` the form itself.
 */
export function externalMediaWarnings(survey: Record<string, any>, elements: Record<string, any>[]): string[] {
  const out = new Map<string, { owner: string; kind: Kind; origin: string; where: Set<string> }>();
  const owners: [string, Record<string, any>][] = [['the survey', survey], ...elements.map((el) => [typeof el.name === 'string' ? `question "${el.name}"` : `an element of type "${el.type}"`, el] as [string, Record<string, any>])];
  for (const [owner, el] of owners)
    for (const ref of refsOf(el)) {
      const origin = blockedOrigin(ref.url, sources(DIRECTIVE[ref.kind]).values);
      if (!origin) continue;
      const id = `${owner}\n${ref.kind}\n${origin}`;
      if (!out.has(id)) out.set(id, { owner, kind: ref.kind, origin, where: new Set() });
      out.get(id)!.where.add(ref.where);
    }
  return [...out.values()].map(({ owner, kind, origin, where }) => {
    const { from, values } = sources(DIRECTIVE[kind]);
    const policy = `${from === DIRECTIVE[kind] ? from : `${DIRECTIVE[kind]} falls back to ${from}`} ${values.join(' ')}`;
    return `${owner} loads ${NOUN[kind]} from ${origin} (${[...where].join(', ')}), which the app's Content-Security-Policy blocks in the browser (${policy}): ${ADVICE[kind]}`;
  });
}
