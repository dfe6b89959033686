import type { z } from 'zod';

/**
 * HTTP helpers for the respondent JSON API (/svar/<token>/spara and /skicka). Errors answer
 * with `{ ok: false, error (English), message (Swedish, for the form) }` and the right status.
 */

/** The largest answer payload a save or submit accepts. The biggest survey is ~10 KB filled in. */
export const MAX_ANSWER_BYTES = 512 * 1024;

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
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
  try {
    return JSON.parse(text);
  } catch (e) {
    throw jsonError(400, `malformed JSON: ${(e as Error).message}`, 'Svaren kunde inte läsas (felaktigt format).');
  }
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

/** 409 for a save or submit the response's state does not allow. */
export function stateRefusal(state: 'submitted' | 'closed' | 'not_open'): Response {
  if (state === 'submitted')
    return jsonError(409, 'the response is submitted and locked; ask the sender to reopen it', 'Svaret är redan inskickat och kan inte ändras. Kontakta den som skickade enkäten om något behöver ändras.', { reason: state });
  if (state === 'closed')
    return jsonError(409, 'the deadline has passed; the form is read-only', 'Sista svarsdag har passerat och formuläret går inte längre att ändra.', { reason: state });
  return jsonError(409, 'the round has not opened yet', 'Enkäten har inte öppnat ännu.', { reason: state });
}
