import { z } from 'zod';
import type { Database, Db, SurveyResponse } from '../../../db/schema';
import type { Kysely } from 'kysely';
import { jointLeadOf } from '../rounds/joint.server';
import { editStateOf } from '../rounds/rounds.server';
import { computePrefill, draftErrors, ensureResponse, loadRespondentContext, type RespondentContext } from './responses.server';

/**
 * HTTP helpers for the respondent JSON API (/svar/<token>/spara and /skicka). Errors answer
 * with `{ ok: false, error (English), message (Swedish, for the form) }` and the right status.
 */

/** The largest answer payload a save or submit accepts. The biggest survey is ~10 KB filled in. */
export const MAX_ANSWER_BYTES = 512 * 1024;

/** A response version as the client names it; versions are 32-bit integers in PostgreSQL. */
export const versionSchema = z.number().int().min(0).max(2_147_483_647);

/**
 * The answers object, passed on as parsed. Not z.record: it silently drops a "__proto__" key,
 * which must reach the strict survey schema and be refused like any unknown key.
 */
export const answersSchema = z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'expected an object of answers');

/**
 * 409 for a save or submit naming a version when the response does not exist yet. Nothing is
 * created: the client gets what the response would start with (version 0, prefilled) and merges.
 */
export async function firstSaveConflict(db: Db, ctx: RespondentContext): Promise<Response> {
  const prefill = await computePrefill(db, ctx.assignment, ctx.round.survey_id);
  return Response.json({ ok: false, reason: 'conflict', version: 0, data: prefill.data, base: {}, savedAt: null, savedBy: null }, { status: 409, headers: { 'Cache-Control': 'no-store' } });
}

export function jsonError(status: number, error: string, message: string, extra: Record<string, unknown> = {}): Response {
  return Response.json({ ok: false, error, message, ...extra }, { status, headers: { 'Cache-Control': 'no-store' } });
}

/**
 * Reads a JSON body of at most `limit` bytes. Throws a ready Response for a wrong method (405),
 * an oversized body (413, also when the length header is missing or lies) and malformed JSON (400).
 */
export async function readJsonBody(request: Request, limit = MAX_ANSWER_BYTES): Promise<unknown> {
  if (request.method !== 'POST') throw jsonError(405, 'use POST', 'Fel metod.');
  const tooLarge = () => jsonError(413, `payload too large: at most ${limit} bytes`, 'Svaren är för stora för att sparas. Korta ner långa texter och försök igen.');
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        // Not cancel(): that destroys the connection before the 413 is sent. app/server.ts
        // drops the rest of the body after the answer.
        reader.releaseLock();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  let text: string;
  try {
    // JSON is UTF-8 (RFC 8259); replacing bad bytes with U+FFFD would store text nobody typed.
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw jsonError(400, 'malformed body: not valid UTF-8', 'Svaren kunde inte läsas (felaktig teckenkodning).');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw jsonError(400, `malformed JSON: ${(e as Error).message}`, 'Svaren kunde inte läsas (felaktigt format).');
  }
  const problem = unstorableJson(value);
  if (problem) throw jsonError(400, `invalid request: ${problem}`, 'Svaren kunde inte läsas (otillåtna tecken eller för djup struktur).');
  return value;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Numbers the analysis projection stores exactly (answer_values.num is a double in both
 * databases): finite, and 0 or a normal double. JSON.parse turns 1e309 into Infinity, and
 * subnormals such as 5e-324 are refused by some PostgreSQL versions. No real answer comes near.
 */
const MIN_STORED_NUMBER = 2.2250738585072014e-308;
const MAX_STORED_NUMBER = Number.MAX_VALUE;

/** Deeper than any answer set (envelope → data → matrix → row → cell → list is 6). */
export const MAX_JSON_DEPTH = 32;

/**
 * Why a parsed JSON value cannot be stored as it is, or null. Strings and keys must be valid
 * Unicode without NUL (PostgreSQL text cannot hold NUL, and a lone surrogate has no UTF-8 form),
 * numbers within what the database stores, and nesting is capped so later recursive code (JSON.stringify, structuredClone, zod) never
 * runs out of stack. Iterative, so a 100 000-level array is refused, not a crash.
 * @example unstorableJson(JSON.parse('{"a":"\\u0000"}')) // 'text at a contains a NUL character'
 */
export function unstorableJson(root: unknown): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  const badText = (s: string) => (s.includes('\u0000') ? 'a NUL character' : LONE_SURROGATE.test(s) ? 'a lone surrogate (not valid Unicode)' : null);
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const bad = badText(value);
      if (bad) return `text at ${path || 'body'} contains ${bad}`;
      continue;
    }
    if (typeof value === 'number') {
      if (value !== 0 && (Math.abs(value) < MIN_STORED_NUMBER || Math.abs(value) > MAX_STORED_NUMBER)) return `the number at ${path || 'body'} is out of range`;
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) return `nested more than ${MAX_JSON_DEPTH} levels at ${path}`;
    for (const [key, child] of Object.entries(value)) {
      const bad = badText(key);
      if (bad) return `a key at ${path || 'body'} contains ${bad}`;
      stack.push({ value: child, path: path ? `${path}.${key.slice(0, 80)}` : key.slice(0, 80), depth: depth + 1 });
    }
  }
  return null;
}

/** Parses with a zod schema or throws a 400 that names every problem and where. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`);
  throw jsonError(400, `invalid request: ${problems.join('; ')}`, 'Förfrågan hade fel format.', { problems });
}

export const unknownLink = () =>
  jsonError(404, 'unknown link', 'Länken fungerar inte. Kontrollera att du har kopierat hela länken från inbjudan, eller kontakta den som skickade den.');

/** 409 for a save or submit through a joint report member's own link (see jointLeadOf). */
export const jointRefusal = (leadName: string) =>
  jsonError(409, 'this organisation answers through a joint report; the lead organisation saves and submits for it', `Er organisation svarar tillsammans med ${leadName} i den här omgången. Svaret lämnas i deras formulär.`, { reason: 'joint' });

/** 409 for a save or submit the response's state does not allow. */
export function stateRefusal(state: 'submitted' | 'closed' | 'not_open'): Response {
  if (state === 'submitted')
    return jsonError(409, 'the response is submitted and locked; ask the sender to reopen it', 'Svaret är redan inskickat och kan inte ändras. Kontakta den som skickade enkäten om något behöver ändras.', { reason: state });
  if (state === 'closed')
    return jsonError(409, 'the deadline has passed; the form is read-only', 'Sista svarsdag har passerat och formuläret går inte längre att ändra.', { reason: state });
  return jsonError(409, 'the round has not opened yet', 'Enkäten har inte öppnat ännu.', { reason: state });
}

/**
 * The guard sequence shared by save and submit, in order: the link must be known, the
 * organisation must not answer through a joint report, the state must allow writing (submit
 * also accepts an already submitted response, which answers idempotently), and a first save
 * must name version 0 and carry well-formed answers before the response row is created.
 * Returns the context with its response, or the refusal to send.
 * @example const opened = await openForWriting(db, token, body, { submit: false }); if (opened instanceof Response) return opened;
 */
export async function openForWriting(
  db: Kysely<Database>,
  token: string,
  body: { baseVersion: number; data: Record<string, unknown> },
  options: { submit: boolean },
): Promise<Response | (RespondentContext & { response: SurveyResponse })> {
  const ctx = await loadRespondentContext(db, token);
  if (!ctx) return unknownLink();
  const lead = await jointLeadOf(db, ctx.assignment.id);
  if (lead) return jointRefusal(lead.organisationName);
  const state = editStateOf(ctx.round, ctx.assignment);
  if (state !== 'open' && !(options.submit && state === 'submitted')) return stateRefusal(state);
  if (!ctx.response) {
    if (body.baseVersion !== 0) return firstSaveConflict(db, ctx);
    const errors = draftErrors(ctx.round.survey_id, body.data);
    if (errors) return invalidAnswers(errors, options.submit ? 'answers do not pass validation' : 'invalid answers', 'Några svar har fel format.');
  }
  return { ...ctx, response: await ensureResponse(db, ctx) };
}

/** 400 naming every answer problem; `extra` carries e.g. the saved version after a failed submit. */
export function invalidAnswers(errors: { detail: string }[], error: string, message: string, extra: Record<string, unknown> = {}): Response {
  return jsonError(400, `${error}: ${errors.map((e) => e.detail).join('; ')}`, message, { errors, ...extra });
}

/** The JSON answer of a save or submit that went through, or of a version conflict (409). */
export function noStoreJson(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });
}
