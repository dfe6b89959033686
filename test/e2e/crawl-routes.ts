/**
 * What the crawl (crawl.test.ts) needs to know about the app's routes. The list of routes itself
 * comes from the Remix route manifest of the build, so a new route is crawled without a change
 * here, unless its path has a parameter.
 *
 * ADDING A ROUTE WITH A PARAMETER: add one line to RECIPES below, keyed by the route id (the
 * file name under app/routes without the extension, prefixed with `routes/`), giving the
 * parameters from the demo data (DemoIds; add a field to demoIds() when the demo has something
 * new). The crawl fails and names the route when a parameter route has no recipe.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { accessToken } from '../../app/models/rounds/rounds.server';
import { unsubscribeToken } from '../../app/models/rounds/unsubscribe.server';

export const ROLES = ['anonymous', 'respondent-link', 'respondent-user', 'admin', 'evaluator'] as const;
export type Role = (typeof ROLES)[number];

/** Ids and tokens from the demo data (db/seed). */
export interface DemoIds {
  roundId: number;
  /** An assignment of the demo round with a submitted response. */
  submittedAssignmentId: number;
  /** Link token of an assignment with a saved draft: the open form with answers. */
  draftToken: string;
  /** The assignment behind draftToken (its reminder opt-out link). */
  draftAssignmentId: number;
  /** Link token of a submitted response: the receipt and the locked form. */
  submittedToken: string;
  surveyId: string;
  comparisonId: string;
  /** The demo grant year (db/seed/demo-grants.ts) and one of its ledger rows. */
  grantYearId: number;
  ledgerId: number;
}

export interface Recipe {
  /** Values for the route's parameters (`$id` → `id`, a splat `$` → `*`). */
  params: (d: DemoIds) => Record<string, string | number>;
  /** Who visits it; the default is everyone but the respondent link (see DEFAULT_ROLES). */
  roles?: readonly Role[];
  /** The status the page must answer with, where a wrong one would still look like a page (a 404 page passes axe). */
  status?: number;
}

/** Routes without parameters are visited by these roles; each sees what its session allows. */
export const DEFAULT_ROLES: readonly Role[] = ['anonymous', 'respondent-user', 'admin', 'evaluator'];
/** A respondent with a link and nothing else: an anonymous browser on /svar/<token>. */
const LINK: readonly Role[] = ['respondent-link'];

// One line per route with a parameter. Resource routes (JSON, CSV, iCalendar) need one too: the
// crawl requests them and requires an answer below 500, but does not render them.
export const RECIPES: Record<string, Recipe> = {
  'routes/$': { params: () => ({ '*': 'finns-inte' }) },
  'routes/avregistrera.$token': { params: (d) => ({ token: unsubscribeToken(d.draftAssignmentId) }), roles: LINK, status: 200 },
  'routes/admin.enkater.$id': { params: () => ({ id: 'oj-vinr-2020' }) },
  'routes/admin.medel.$yearId._index': { params: (d) => ({ yearId: d.grantYearId }) },
  'routes/admin.medel.$yearId.fordelning[.]xlsx': { params: (d) => ({ yearId: d.grantYearId }) },
  'routes/admin.medel.$yearId.rad.$ledgerId': { params: (d) => ({ yearId: d.grantYearId, ledgerId: d.ledgerId }) },
  'routes/admin.medel.$yearId.omfordela': { params: (d) => ({ yearId: d.grantYearId }) },
  'routes/admin.omgangar.$id': { params: (d) => ({ id: d.roundId }) },
  'routes/admin.omgangar.$id.export': { params: (d) => ({ id: d.roundId }) },
  'routes/admin.omgangar.$id.saknade': { params: (d) => ({ id: d.roundId }) },
  'routes/admin.omgangar.$id_.svar.$assignmentId': { params: (d) => ({ id: d.roundId, assignmentId: d.submittedAssignmentId }) },
  'routes/api.v1.$': { params: () => ({ '*': 'finns-inte' }) },
  'routes/api.v1.rounds.$id': { params: (d) => ({ id: d.roundId }) },
  'routes/api.v1.rounds.$id.responses': { params: (d) => ({ id: d.roundId }) },
  'routes/api.v1.surveys.$id': { params: (d) => ({ id: d.surveyId }) },
  'routes/enkater.$id': { params: (d) => ({ id: d.surveyId }) },
  'routes/jamfor.$id': { params: (d) => ({ id: d.comparisonId }) },
  'routes/jamfor.$id.export': { params: (d) => ({ id: d.comparisonId }) },
  'routes/logga-in.$token': { params: () => ({ token: 'A'.repeat(43) }) },
  'routes/svar.$token._index': { params: (d) => ({ token: d.draftToken }), roles: LINK },
  'routes/svar.$token.kvittens': { params: (d) => ({ token: d.submittedToken }), roles: LINK },
  'routes/svar.$token.skicka': { params: (d) => ({ token: d.draftToken }), roles: LINK },
  'routes/svar.$token.spara': { params: (d) => ({ token: d.draftToken }), roles: LINK },
};

/** Reads the ids the recipes need from a database loaded with the demo data. */
export async function demoIds(db: Kysely<Database>): Promise<DemoIds> {
  const round = await db.selectFrom('rounds').select('id').where('survey_id', '=', 'oj-vinr-2019').where('title', 'like', '%(demo)').orderBy('id').executeTakeFirstOrThrow();
  const byStatus = (submitted: boolean) =>
    db
      .selectFrom('assignments as a')
      .innerJoin('responses as r', 'r.assignment_id', 'a.id')
      .select(['a.id', 'a.token_nonce'])
      .where('a.round_id', '=', round.id)
      .where('r.submitted_at', submitted ? 'is not' : 'is', null)
      .orderBy('a.id')
      .executeTakeFirstOrThrow();
  const submitted = await byStatus(true);
  const draft = await byStatus(false);
  const grantYear = await db.selectFrom('grant_years').select('id').where('year', '=', 2027).orderBy('id').executeTakeFirstOrThrow();
  const ledger = await db.selectFrom('grant_ledger').select('id').where('grant_year_id', '=', grantYear.id).orderBy('id').executeTakeFirstOrThrow();
  return {
    roundId: round.id,
    submittedAssignmentId: submitted.id,
    draftToken: accessToken(draft),
    draftAssignmentId: draft.id,
    submittedToken: accessToken(submitted),
    surveyId: 'oj-vinr-2019',
    comparisonId: 'file-figur-5-fortbildning',
    grantYearId: grantYear.id,
    ledgerId: ledger.id,
  };
}
