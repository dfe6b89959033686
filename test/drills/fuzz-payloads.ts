/**
 * Seeded, deterministic generator of hostile answer payloads for the fuzz drill
 * (test/drills/fuzz.drill.ts). Each payload is derived from one survey's questions and a valid
 * answer set (test/fixtures/valid-answers.json) and depends only on (seed, survey id, index), so
 * a failure is reproduced with `fuzzPayload(survey, answers, seed, index)`.
 *
 * Payloads are raw bytes, so they can carry invalid UTF-8, raw number literals (1e309, -0),
 * nesting deeper than JSON.stringify can build, malformed JSON and oversized bodies.
 * @example const p = fuzzPayload(questionsOf(survey.json), answers, 42, 7); p.body('save', 3);
 */

export type Endpoint = 'save' | 'submit';

/** What the server must do with a payload: 'reject' means any 2xx is a bug; 'any' is not judged. */
export type Expectation = 'reject' | 'any';

export interface FuzzPayload {
  index: number;
  /** Mutation name, e.g. "wrong-type:ledningssystem", for the report and for reproducing. */
  kind: string;
  expect: Expectation;
  contentType: string | null;
  /** The body for an endpoint, given the response's current version (0 when there is none). */
  body: (endpoint: Endpoint, version: number) => Buffer;
}

export interface FuzzQuestion {
  key: string;
  type: string;
  numeric: boolean;
  choices: unknown[];
  rows: string[];
  hasComment: boolean;
}

/** The questions that store values, from the SurveyJS JSON (pages, panels, nested panels). */
export function questionsOf(surveyJson: Record<string, unknown>): FuzzQuestion[] {
  const out: FuzzQuestion[] = [];
  const valueOf = (c: unknown) => (c !== null && typeof c === 'object' ? (c as { value?: unknown }).value : c);
  const walk = (elements: unknown) => {
    if (!Array.isArray(elements)) return;
    for (const e of elements as Record<string, any>[]) {
      if (e.type === 'panel') walk(e.elements);
      if (['panel', 'html', 'image'].includes(e.type)) continue;
      const choices = Array.isArray(e.choices) ? e.choices.map(valueOf) : [];
      if (e.showOtherItem || e.hasOther) choices.push('other');
      if (e.showNoneItem || e.hasNone) choices.push('none');
      out.push({
        key: String(e.valueName ?? e.name),
        type: String(e.type),
        numeric: e.type === 'text' && ['number', 'range'].includes(e.inputType),
        choices: e.type === 'matrix' ? (e.columns ?? []).map(valueOf) : choices,
        rows: Array.isArray(e.rows) ? e.rows.map((r: unknown) => String(valueOf(r))) : [],
        hasComment: Boolean(e.showOtherItem || e.hasOther || e.showCommentArea || e.hasComment),
      });
    }
  };
  for (const page of ((surveyJson.pages as unknown[]) ?? []) as Record<string, unknown>[]) walk(page.elements);
  walk(surveyJson.elements);
  return out;
}

/** mulberry32: small, fast, good enough for test data, and identical on every platform. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Placeholders in a JSON value that are replaced by raw bytes after JSON.stringify. */
class Raw {
  constructor(readonly bytes: Buffer) {}
}
const raw = (text: string | Buffer) => new Raw(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);

/** JSON.stringify, then splices the Raw placeholders in as bytes. */
function encode(value: unknown): Buffer {
  const raws: Raw[] = [];
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof Raw) return `\u0001RAW${raws.push(v) - 1}\u0001`;
    return v;
  });
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of text.matchAll(/"\\u0001RAW(\d+)\\u0001"/g)) {
    parts.push(Buffer.from(text.slice(last, m.index), 'utf8'), raws[Number(m[1])].bytes);
    last = m.index + m[0].length;
  }
  parts.push(Buffer.from(text.slice(last), 'utf8'));
  return Buffer.concat(parts);
}

/** The largest body the respondent endpoints accept (app/models/responses/respondent-request.server.ts). */
const ANSWER_LIMIT = 512 * 1024;
/** The server-wide body limit (app/server.ts). */
const SERVER_LIMIT = 2 * 1024 * 1024;
/** The schema's cap on one text answer (app/models/surveys/schema.server.ts). */
const MAX_TEXT = 100_000;

const INVALID_UTF8 = [
  [0xff],
  [0xfe, 0xfe],
  [0xc3, 0x28], // bad continuation
  [0xc0, 0xaf], // overlong "/"
  [0xe0, 0x80, 0xaf], // overlong
  [0xed, 0xa0, 0x80], // UTF-8 encoded surrogate
  [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
  [0xe2, 0x82], // truncated
  [0x80],
].map((b) => Buffer.from(b));

const NUMBER_LITERALS = ['1e309', '-1e309', '-0', '9007199254740992', '9007199254740993', '-9007199254740993', '1e-400', '123456789012345678901234567890', '0.1e-7', '2147483648', '-2147483649', '1.7976931348623157e308', '5e-324', '1E2', '0.0'];
const INVALID_NUMBERS = ['NaN', 'Infinity', '-Infinity', '+1', '01', '.5', '1.', '0x10', '1e', '--1', '١'];
const ODD_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' ', 'a\u0000b', '\ud800', 'ö'.repeat(300), 'x'.repeat(5000), '$where', '../../etc/passwd', '-Comment', 'Comment', '0', '[]'];
const ODD_STRINGS = ['', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83d', '\ufeff', '\u202e', '\u2028\u2029', '🙂'.repeat(50), 'Robert\'); DROP TABLE responses;--', '<script>alert(1)</script>', '=cmd|\' /C calc\'!A0', '\r\n'.repeat(100), 'null', 'undefined', '{}', 'true'];

/** A value nested `depth` levels deep, as raw JSON text (deeper than JSON.stringify can go). */
function deep(depth: number, variant: number): Raw {
  if (variant === 0) return raw(`${'['.repeat(depth)}${']'.repeat(depth)}`);
  if (variant === 1) return raw(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
  return raw(`${'[{"__proto__":'.repeat(depth)}null${'}]'.repeat(depth)}`);
}

/**
 * The `index`th payload for a survey. About one in ten is a valid answer set (or one changed in a
 * way the schema may accept), so the accepted path and the locked state are exercised too.
 */
export function fuzzPayload(surveyId: string, questions: FuzzQuestion[], answers: Record<string, unknown>, seed: number, index: number): FuzzPayload {
  const rnd = prng(hash(`${seed}:${surveyId}:${index}`));
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  const q = pick(questions);
  const data: Record<string, unknown> = structuredClone(answers);
  let kind = '';
  let expect: Expectation = 'reject';
  let contentType: string | null = 'application/json';
  /** Envelope changes, applied per endpoint. */
  let envelope: (e: Record<string, unknown>, endpoint: Endpoint, version: number) => unknown = (e) => e;
  let bodyOverride: ((endpoint: Endpoint, version: number) => Buffer) | undefined;

  const wrongValues = (): unknown[] => {
    if (q.type === 'checkbox') return ['ja', 5, {}, true, [[]], [{}], [null]];
    if (q.type === 'matrix') return ['x', 5, [], true, { [q.rows[0] ?? 'r']: {} }];
    if (q.type === 'expression') return [{}, [], { a: 1 }];
    if (q.numeric) return ['12', true, [], {}, [1], { value: 1 }];
    if (q.type === 'text' || q.type === 'comment') return [5, true, [], {}, ['a'], { text: 'a' }];
    return [[], {}, [q.choices[0]], { value: q.choices[0] }];
  };

  // Expression answers are computed primitives: the schema takes any string or number there.
  const takesText = (x: FuzzQuestion) => x.type === 'comment' || x.type === 'expression' || (x.type === 'text' && !x.numeric);
  const takesNumber = (x: FuzzQuestion) => x.numeric || x.type === 'expression';

  const roll = int(100);
  if (roll < 6) {
    kind = 'valid';
    expect = 'any';
  } else if (roll < 10) {
    // Accepted or not, nothing here may cause a 5xx; e.g. odd but valid text in a text answer.
    const text = questions.filter(takesText);
    const target = text.length ? pick(text) : q;
    const s = pick(ODD_STRINGS);
    kind = `odd-string:${target.key}:${JSON.stringify(s).slice(0, 20)}`;
    expect = 'any';
    data[target.key] = s;
  } else if (roll < 18) {
    kind = `wrong-type:${q.key}`;
    data[q.key] = pick(wrongValues());
  } else if (roll < 24) {
    const key = int(3) === 0 ? `${q.key}${pick(['-Comment', '-total', '_', ' ', '.x', 'X'])}` : pick(ODD_KEYS);
    kind = `unknown-key:${JSON.stringify(key).slice(0, 30)}`;
    // "-Comment" is a real key for questions with an "other" item or a comment area.
    if (key === `${q.key}-Comment` && q.hasComment) expect = 'any';
    // defineProperty: a plain assignment to "__proto__" would set the prototype, not add a key.
    Object.defineProperty(data, key, { value: pick(['x', 1, null, {}, [], true]), enumerable: true, configurable: true, writable: true });
  } else if (roll < 30) {
    const choiceQs = questions.filter((x) => x.choices.length && x.type !== 'matrix');
    const target = choiceQs.length ? pick(choiceQs) : q;
    const base = String(target.choices[0] ?? 'ja');
    const bad = pick([base.toUpperCase() === base ? `${base}x` : base.toUpperCase(), `${base} `, ` ${base}`, `${base}\u0000`, 'other ', 'övrigt', 1, 0, -1, true, false, '', 'x'.repeat(MAX_TEXT + 1)]);
    kind = `unknown-choice:${target.key}`;
    data[target.key] = target.type === 'checkbox' ? [...target.choices.slice(0, 1), bad] : bad;
    if (target.choices.includes(bad)) expect = 'any';
  } else if (roll < 38) {
    const size = pick([MAX_TEXT, MAX_TEXT + 1, 300_000, ANSWER_LIMIT - 200, ANSWER_LIMIT + 1, SERVER_LIMIT + 1]);
    const char = pick(['x', 'ö', '🙂', '\u0000', '"', '\\']);
    // Sized by its bytes in the body: "\u0000" takes six, '"' two.
    const s = char.repeat(Math.ceil(size / (Buffer.byteLength(JSON.stringify(char)) - 2)));
    const where = int(4);
    kind = `huge-string:${size}:${where === 0 ? 'savedBy' : where === 1 ? 'key' : q.key}:${JSON.stringify(char)}`;
    if (where === 0) envelope = (e, endpoint) => ({ ...e, [endpoint === 'save' ? 'savedBy' : 'submittedBy']: s });
    else if (where === 1) data[s.slice(0, size)] = 'x';
    else {
      data[q.key] = s;
      // Text answers up to MAX_TEXT characters are fine in a text question. Characters are code
      // points, as zod counts them: 75 000 "🙂" are 150 000 UTF-16 units but within the limit.
      if (takesText(q) && [...s].length <= MAX_TEXT && Buffer.byteLength(s) < ANSWER_LIMIT - 20_000) expect = 'any';
    }
  } else if (roll < 46) {
    const depth = pick([64, 100, 1000, 10_000, 50_000, 100_000]);
    const variant = int(3);
    const where = int(4);
    kind = `deep-nesting:${depth}:${variant}:${['answer', 'unknown-key', 'data', 'envelope'][where]}`;
    if (where === 0) data[q.key] = deep(depth, variant);
    else if (where === 1) data.djup = deep(depth, variant);
    else if (where === 2) envelope = (e) => ({ ...e, data: deep(depth, variant) });
    else envelope = (e) => ({ ...e, extra: deep(depth, variant) });
  } else if (roll < 54) {
    const bytes = pick(INVALID_UTF8);
    const where = int(4);
    kind = `invalid-utf8:${bytes.toString('hex')}:${['answer', 'key', 'savedBy', 'structure'][where]}`;
    const inString = raw(Buffer.concat([Buffer.from('"a'), bytes, Buffer.from('b"')]));
    if (where === 0) data[q.key] = inString;
    else if (where === 1) {
      // A key with invalid bytes: spliced into the data object's text.
      const dataText = encode(data);
      const spliced = raw(Buffer.concat([dataText.subarray(0, -1), Buffer.from(Object.keys(data).length ? ',"' : '"'), bytes, Buffer.from('":1}')]));
      bodyOverride = (endpoint, version) => encode(envelopeOf(endpoint, version, spliced));
    }
    else if (where === 2) envelope = (e, endpoint) => ({ ...e, [endpoint === 'save' ? 'savedBy' : 'submittedBy']: inString });
    else bodyOverride = (endpoint, version) => Buffer.concat([bytes, encode(envelopeOf(endpoint, version, data))]);
  } else if (roll < 59) {
    const s = pick(['\ud800', '\udc00', 'a\udbffb', '\udfff\ud800', 'x\\ud800']);
    const where = int(3);
    kind = `lone-surrogate:${['answer', 'key', 'name'][where]}`;
    const lit = raw(JSON.stringify(s).replace(/[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`));
    if (where === 0) {
      data[q.key] = lit;
      if (takesText(q)) expect = 'any';
    } else if (where === 1) data[s] = 'x';
    else {
      envelope = (e, endpoint) => ({ ...e, [endpoint === 'save' ? 'savedBy' : 'submittedBy']: lit });
      expect = 'any';
    }
  } else if (roll < 67) {
    const numeric = questions.filter((x) => x.numeric);
    const target = numeric.length && int(3) > 0 ? pick(numeric) : q;
    const invalid = int(4) === 0;
    const literal = invalid ? pick(INVALID_NUMBERS) : pick(NUMBER_LITERALS);
    kind = `number:${literal}:${target.key}`;
    data[target.key] = raw(literal);
    // Finite numbers (1e-400 is 0) may be accepted where numbers are; 1e309 parses to Infinity, which must not.
    if (!invalid && takesNumber(target) && !/e309/.test(literal)) expect = 'any';
  } else if (roll < 75) {
    const version = pick(['-1', '-0', '0.5', '1.5', '"0"', 'null', 'true', '[]', '{}', '1e309', '9007199254740992', '2147483648', '-9007199254740993', 'stale', 'future', 'missing', '1e400', '0x1']);
    kind = `base-version:${version}`;
    // -0 equals 0, so it may be accepted as the current version.
    if (version === '-0') expect = 'any';
    envelope = (e, _endpoint, current) => {
      const out = { ...e };
      if (version === 'missing') delete out.baseVersion;
      else if (version === 'stale') out.baseVersion = current - 1 < 0 ? raw('-1') : current - 1;
      else if (version === 'future') out.baseVersion = current + 1 + int(3);
      else out.baseVersion = raw(version);
      return out;
    };
  } else if (roll < 83) {
    const variant = int(16);
    kind = `envelope:${variant}`;
    // 12: odd but storable names; 14: a duplicate key, where JSON.parse keeps the last value.
    if (variant === 12 || variant === 14) expect = 'any';
    envelope = (e, endpoint) => {
      const name = endpoint === 'save' ? 'savedBy' : 'submittedBy';
      switch (variant) {
        case 0: {
          const out = { ...e };
          delete out.data;
          return out;
        }
        case 1: return { ...e, data: null };
        case 2: return { ...e, data: JSON.stringify(e.data) };
        case 3: return { ...e, data: [e.data] };
        case 4: return { ...e, data: Object.entries(e.data as object) };
        case 5: return { ...e, extra: 1 };
        case 6: return { ...e, [name]: 12 };
        case 7: return { ...e, [name]: 'n'.repeat(201) };
        case 8: return endpoint === 'submit' ? { ...e, submittedBy: '   ' } : { ...e, savedBy: ['a'] };
        case 9: return { ...e, email: pick(['inte-en-adress', `${'a'.repeat(250)}@ex.se`, 'a@b\u0000.se', 'a@b.se\r\nBcc: x@y.se', 12, {}]) };
        case 10: return raw(`{"__proto__":${encode(e).toString('utf8')}}`).bytes;
        case 11: return raw(`{"constructor":{"prototype":${encode(e).toString('utf8')}}}`).bytes;
        case 12: return { ...e, [name]: pick(['a\u0000b', '\u0000', 'Anna\u0000', '\u202eAnna']) };
        case 13: return [e];
        case 14: return raw(encode(e).toString('utf8').replace('{', '{"baseVersion":-1,')).bytes;
        default: return e;
      }
    };
    if (variant === 15) {
      kind = `proto-data:${q.key}`;
      envelope = (e) => raw(encode(e).toString('utf8').replace('"data":{', `"data":{"__proto__":${encode({ [q.key]: pick(wrongValues()) }).toString('utf8')},`)).bytes;
    }
  } else if (roll < 86) {
    kind = `array-for-object:${q.key}`;
    const variant = int(3);
    if (variant === 0) envelope = (e) => ({ ...e, data: Object.values(e.data as object) });
    else if (variant === 1) data[q.key] = q.type === 'matrix' ? [data[q.key] ?? {}] : [[data[q.key]]];
    else envelope = (e) => ({ ...e, data: [] });
  } else if (roll < 94) {
    const variant = int(14);
    kind = `malformed:${variant}`;
    if (variant === 3) expect = 'any';
    bodyOverride = (endpoint, version) => {
      const good = encode(envelopeOf(endpoint, version, data));
      switch (variant) {
        case 0: return good.subarray(0, 1 + int(good.length - 1));
        case 1: return Buffer.concat([good, Buffer.from(pick(['}', ' x', ',', '\u0000', '{}']))]);
        case 2: return Buffer.alloc(0);
        // A byte order mark: RFC 8259 lets a parser ignore it, so it may be accepted.
        case 3: return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), good]);
        case 4: return Buffer.from(good.toString('utf8').replaceAll('"', "'"));
        case 5: return Buffer.concat([Buffer.from('/* c */'), good]);
        case 6: return Buffer.from(good.toString('utf8').replace('{', '{\u0000'));
        case 7: return Buffer.from('null');
        case 8: return Buffer.from(pick(['[]', '1', '"x"', 'true', '{}']));
        case 9: return Buffer.concat([Buffer.from('\u0000'), good]);
        case 10: return Buffer.from(`baseVersion=${version}&data=x`);
        case 11: return Buffer.from(good.toString('utf8').replace(/"([^"]{1,40})":/, '"$1\n":'));
        case 12: return Buffer.from(good.toString('utf16le'));
        default: return Buffer.from(`{"baseVersion":${version},"data":{"a":"\\u00"}}`);
      }
    };
  } else {
    const variant = int(5);
    kind = `content-type:${variant}`;
    expect = 'any';
    contentType = [null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1'][variant];
  }

  function envelopeOf(endpoint: Endpoint, version: number, d: unknown): Record<string, unknown> {
    return endpoint === 'save'
      ? { baseVersion: version, data: d, savedBy: 'Fuzz' }
      : { baseVersion: version, data: d, submittedBy: 'Fuzz', email: '' };
  }

  return {
    index,
    kind,
    expect,
    contentType,
    body: (endpoint, version) => {
      if (bodyOverride) return bodyOverride(endpoint, version);
      const e = envelope(envelopeOf(endpoint, version, data), endpoint, version);
      return Buffer.isBuffer(e) ? e : encode(e);
    },
  };
}
