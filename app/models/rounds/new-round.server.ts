import type { Kysely } from 'kysely';
import type { Database, OrganisationKind } from '../../../db/schema';
import { audienceProblem, codesFromFile, parseAdminDate, parseCodes, parseSchedule, selectTargets } from './admin.server';
import { parsePersons, personsFromFile } from './persons.server';
import type { CreateRoundInput, PersonInvite } from './rounds.server';

/**
 * The new-round form of /admin/omgangar/ny: checks every field, resolves the targets
 * (organisations by filter or codes, or persons) and returns Swedish errors per field, or the
 * input for createRoundAudited.
 */

/** The new-round form as submitted (route-parsed strings; files as bytes). */
export interface NewRoundForm {
  survey: string;
  title: string;
  opens: string;
  closes: string;
  reminders: string;
  contactText: string;
  targetMode: 'filter' | 'codes';
  kind?: OrganisationKind;
  lan: string[];
  kg: string[];
  codes: string;
  codesFile?: { bytes: Buffer; name: string };
  persons: string;
  personsFile?: { bytes: Buffer; name: string };
}

export interface NewRoundCheck {
  errors: Partial<Record<'survey' | 'title' | 'opens' | 'closes' | 'reminders' | 'kind' | 'codes' | 'persons', string>>;
  /** What the targets resolve to, shown as a preview even when other fields have errors. */
  preview?: { count: number; unknownCodes: string[]; badPersonLines: { line: number; text: string }[]; sample: string[] };
  input?: CreateRoundInput;
}

/**
 * Checks the new-round form and resolves its targets; errors are Swedish, keyed by field. When
 * there are none, `input` is ready for createRoundAudited.
 */
export async function checkNewRound(
  db: Kysely<Database>,
  form: NewRoundForm,
  audienceOf: (surveyId: string) => OrganisationKind[] | 'person' | undefined,
): Promise<NewRoundCheck> {
  const errors: NewRoundCheck['errors'] = {};
  const audience = audienceOf(form.survey);
  if (!audience) errors.survey = 'Välj en enkät.';
  if (!form.title.trim()) errors.title = 'Ange en titel för omgången.';
  else if (form.title.length > 200) errors.title = 'Titeln får vara högst 200 tecken.';
  const opensAt = parseAdminDate(form.opens, 'start');
  const closesAt = parseAdminDate(form.closes, 'end');
  if (!opensAt) errors.opens = 'Ange öppningsdatum som ÅÅÅÅ-MM-DD.';
  if (!closesAt) errors.closes = 'Ange sista svarsdag som ÅÅÅÅ-MM-DD.';
  else if (opensAt && closesAt <= opensAt) errors.closes = 'Sista svarsdag måste vara efter öppningsdatum.';
  const schedule = parseSchedule(form.reminders);
  if (!schedule) errors.reminders = 'Ange påminnelsedagar som heltal, t.ex. -14, -3, 2.';

  let preview: NewRoundCheck['preview'];
  let organisationIds: number[] = [];
  let persons: PersonInvite[] = [];
  if (audience === 'person') {
    const parsed = parsePersons(form.persons);
    if (form.personsFile) {
      const fromFile = await personsFromFile(form.personsFile.bytes, form.personsFile.name).catch(() => ({ persons: [], problems: [{ line: 1, text: `Filen ${form.personsFile!.name} kunde inte läsas som CSV eller XLSX` }] }));
      for (const p of fromFile.persons) if (!parsed.persons.some((q) => q.email === p.email)) parsed.persons.push(p);
      parsed.problems.push(...fromFile.problems);
    }
    persons = parsed.persons;
    preview = { count: persons.length, unknownCodes: [], badPersonLines: parsed.problems, sample: persons.slice(0, 8).map((p) => p.name) };
    if (parsed.problems.length) errors.persons = `${parsed.problems.length} rader är inte namn och e-postadress; rätta eller ta bort dem.`;
    else if (persons.length === 0) errors.persons = 'Ange minst en person (namn, e-post per rad).';
  } else if (audience) {
    let codes: string[] | undefined;
    // Target errors go next to the field in use: the kind select, or the codes box.
    const targetField = form.targetMode === 'codes' ? 'codes' : 'kind';
    if (form.targetMode === 'codes') {
      codes = parseCodes(form.codes);
      if (form.codesFile) {
        try {
          codes = [...new Set([...codes, ...(await codesFromFile(form.codesFile.bytes, form.codesFile.name))])];
        } catch {
          errors.codes = 'Filen kunde inte läsas. Använd CSV eller XLSX med en kolumn org eller en kod per rad.';
        }
      }
      if (codes.length === 0 && !errors.codes) errors.codes = 'Klistra in eller ladda upp minst en organisationskod.';
    } else if (!form.kind) errors.kind = 'Välj vilken typ av organisationer som ska svara.';
    const selection = await selectTargets(db, { kind: form.kind, lan: form.lan, kg: form.kg, codes });
    organisationIds = selection.organisations.map((o) => o.id);
    preview = { count: organisationIds.length, unknownCodes: selection.unknownCodes, badPersonLines: [], sample: selection.organisations.slice(0, 8).map((o) => o.name) };
    if (selection.unknownCodes.length) errors.codes = `Okända koder: ${selection.unknownCodes.join(', ')}. Rätta eller ta bort dem.`;
    else if (!errors[targetField] && organisationIds.length === 0) errors[targetField] = 'Urvalet matchar ingen organisation.';
    const wrong = await audienceProblem(db, audience, organisationIds);
    if (wrong && !errors[targetField]) errors[targetField] = `Enkäten besvaras av ${audience.join(', ')}, men ${wrong.count} av de valda är ${wrong.kinds.join(', ')}.`;
  }
  if (Object.keys(errors).length > 0) return { errors, preview };
  return {
    errors,
    preview,
    input: {
      surveyId: form.survey,
      title: form.title.trim(),
      opensAt: opensAt!,
      closesAt: closesAt!,
      reminderSchedule: schedule,
      contactText: form.contactText.trim() || null,
      organisationIds,
      persons,
    },
  };
}
