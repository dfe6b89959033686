/**
 * Concurrency drill (issue #8): 50 clients save the same draft at once, over and over. Each
 * round every client with a change not yet landed posts it with the version it knows, all at
 * the same moment: exactly one may win that version, every other one must get the conflict
 * answer (409 with the current version, the winner's answers and the base it started from),
 * rebase its change on those answers and try again in the next round. The first rounds keep all
 * clients contending (a winner brings a new change); then the rest drain until every client's
 * change has landed. Finally no revision may be lost: revisions 0..V contiguous, every
 * acknowledged save equal to the revision at its version, the response equal to the last one,
 * and every change present exactly once in the final answers.
 */
import http from 'node:http';
import { createRound } from '../../app/models/rounds/rounds.server';
import { startApp } from '../e2e/harness';
import { canonical, postJson, type JsonAnswer } from './crash.drill';
import { failureList, type DrillOptions, type DrillReport } from './drill';

type Answers = Record<string, unknown>;

const SCALES = {
  ci: { clients: 50, contendedRounds: 5 },
  full: { clients: 50, contendedRounds: 20 },
} as const;

/** The free-text question each client appends its change to, one line per change. */
const FIELD = 'ovriga_kommentarer';

const lines = (data: Answers): string[] => (typeof data[FIELD] === 'string' && data[FIELD] ? (data[FIELD] as string).split('\n') : []);

/** A client's change rebased on the server's answers: its line appended to theirs. */
const rebase = (server: Answers, change: string): Answers => ({ ...server, [FIELD]: [...lines(server), change].join('\n') });

interface ClientState {
  by: string;
  version: number;
  /** The server's answers at `version`, as the client last saw them. */
  data: Answers;
  change: string | null;
  changes: number;
}

export async function run(options: DrillOptions): Promise<DrillReport> {
  const started = Date.now();
  const scale = SCALES[options.scale];
  const { db, url: databaseUrl, dialect } = options.database;
  const log = options.log ?? (() => {});
  const { failures, fail } = failureList();

  const org = await db.selectFrom('organisations').select('id').where('kind', '=', 'kommun').orderBy('code').executeTakeFirstOrThrow();
  const day = 86_400_000;
  const { assignments } = await createRound(db, {
    surveyId: 'oj-vinr-2019',
    title: 'Samtidighetsövning',
    opensAt: new Date(Date.now() - day).toISOString(),
    closesAt: new Date(Date.now() + 30 * day).toISOString(),
    organisationIds: [org.id],
  });
  const { id: assignmentId, token } = assignments[0];

  const app = await startApp(databaseUrl, { JOBS: 'off' });
  const agent = new http.Agent({ keepAlive: true, maxSockets: scale.clients });
  const counts = { requests: 0, rounds: 0, wins: 0, conflicts: 0, otherStatuses: 0, serverErrors: 0 };
  /** The acknowledged save of each version: who won it and with which answers. */
  const wins = new Map<number, { by: string; data: Answers }>();
  const sentChanges: string[] = [];
  const clients: ClientState[] = Array.from({ length: scale.clients }, (_, c) => {
    const change = `klient ${c} ändring 1`;
    sentChanges.push(change);
    return { by: `Klient ${c}`, version: 0, data: {}, change, changes: 1 };
  });

  try {
    // Open every keep-alive socket first, so each round's saves really leave at once.
    await Promise.all(clients.map(() => new Promise((resolve) => http.get(`${app.url}/healthz`, { agent }, (res) => res.resume().on('end', resolve)).on('error', resolve))));
    const maxRounds = scale.contendedRounds + scale.clients + 10;
    for (let round = 0; round < maxRounds; round++) {
      const contenders = clients.filter((c) => c.change !== null);
      if (contenders.length === 0) break;
      counts.rounds++;
      counts.requests += contenders.length;
      const sent = contenders.map((c) => ({ client: c, base: c.version, data: rebase(c.data, c.change!) }));
      const answers = await Promise.all(
        sent.map((s) => postJson(agent, `${app.url}/svar/${token}/spara`, { baseVersion: s.base, data: s.data, savedBy: s.client.by }).catch((e: Error): JsonAnswer => ({ status: 0, json: e.message }))),
      );

      const won = sent.filter((_, i) => answers[i].status === 200);
      if (won.length !== 1) fail(`round ${round + 1}: ${won.length} of ${sent.length} saves at the same base won`);
      // The win first, so the conflict answers can be checked against it.
      const order = [...sent.keys()].sort((a, b) => Number(answers[b].status === 200) - Number(answers[a].status === 200));
      for (const i of order) {
        const s = sent[i];
        const { status, json } = answers[i];
        if (status === 200) {
          counts.wins++;
          if (wins.has(json.version)) fail(`version ${json.version} acknowledged twice: to ${wins.get(json.version)!.by} and ${s.client.by}`);
          wins.set(json.version, { by: s.client.by, data: s.data });
          if (json.version !== s.base + 1) fail(`${s.client.by} saved on base ${s.base} and got version ${json.version}`);
          Object.assign(s.client, { version: json.version, data: s.data, change: null });
          if (round < scale.contendedRounds - 1) {
            s.client.change = `klient ${s.client.by.split(' ')[1]} ändring ${++s.client.changes}`;
            sentChanges.push(s.client.change);
          }
        } else if (status === 409 && json?.reason === 'conflict') {
          counts.conflicts++;
          checkConflict(s.client.by, s.base, json);
          // Rebase: the next round sends this client's change on top of the server's answers.
          Object.assign(s.client, { version: json.version, data: json.data });
        } else {
          if (status >= 500) counts.serverErrors++;
          else counts.otherStatuses++;
          fail(`round ${round + 1}: ${s.client.by} got ${status}: ${JSON.stringify(json).slice(0, 300)}`);
        }
      }
    }
    const pending = clients.filter((c) => c.change !== null);
    if (pending.length) fail(`${pending.length} clients never landed their change: ${pending.map((c) => c.by).join(', ')}`);
  } finally {
    agent.destroy();
    await app.stop();
  }

  /** The 409 must carry the version and answers of the save that won, and the loser's base. */
  function checkConflict(by: string, base: number, json: any): void {
    const shaped =
      json.ok === false && Number.isInteger(json.version) && json.data && typeof json.data === 'object' && json.base && typeof json.base === 'object' && typeof json.savedAt === 'string';
    if (!shaped) return fail(`conflict answer to ${by} has the wrong shape: ${JSON.stringify(json).slice(0, 300)}`);
    const current = wins.get(json.version);
    if (json.version <= base) fail(`conflict answer to ${by} names version ${json.version}, not newer than its base ${base}`);
    else if (!current) fail(`conflict answer to ${by} names version ${json.version}, which no acknowledged save made`);
    else if (canonical(json.data) !== canonical(current.data) || json.savedBy !== current.by) fail(`conflict answer to ${by} at version ${json.version} differs from the save that won it`);
    const baseData = base === 0 ? {} : wins.get(base)?.data;
    if (baseData && canonical(json.base) !== canonical(baseData)) fail(`conflict answer to ${by} has a base that is not version ${base}`);
  }

  // No revision lost: 0..V contiguous, each acknowledged save at its version, the response = V.
  const response = await db.selectFrom('responses').select(['id', 'data', 'version']).where('assignment_id', '=', assignmentId).executeTakeFirst();
  const revisions = response
    ? await db.selectFrom('response_revisions').select(['version', 'data', 'kind', 'saved_by']).where('response_id', '=', response.id).orderBy('version').execute()
    : [];
  const versions = Math.max(0, ...wins.keys());
  if (!response) fail('no response row was created');
  else {
    if (response.version !== versions) fail(`the response is at version ${response.version}, the last acknowledged save at ${versions}`);
    if (revisions.length !== versions + 1 || revisions.some((r, i) => r.version !== i)) fail(`revisions ${revisions.map((r) => r.version).join(',')} are not 0..${versions}`);
    for (const [version, win] of wins) {
      const rev = revisions.find((r) => r.version === version);
      if (!rev) fail(`revision ${version} (acknowledged to ${win.by}) is missing`);
      else if (canonical(JSON.parse(rev.data)) !== canonical(win.data) || rev.saved_by !== win.by || rev.kind !== 'draft') fail(`revision ${version} is not the save acknowledged to ${win.by}`);
    }
    const last = revisions.at(-1);
    if (!last || canonical(JSON.parse(last.data)) !== canonical(JSON.parse(response.data))) fail('the response data differs from its last revision');
    const landed = lines(JSON.parse(response.data) as Answers);
    const missing = sentChanges.filter((c) => !landed.includes(c));
    if (missing.length) fail(`${missing.length} changes are not in the final answers: ${missing.slice(0, 5).join('; ')}`);
    if (landed.length !== new Set(landed).size || landed.length !== sentChanges.length) fail(`the final answers hold ${landed.length} change lines for ${sentChanges.length} changes`);
  }
  log(`${counts.rounds} rounds, ${versions} versions, ${counts.conflicts} conflicts`);

  return {
    drill: 'concurrency',
    dialect,
    scale: options.scale,
    passed: failures.length === 0,
    figures: {
      clients: scale.clients,
      rounds: counts.rounds,
      versions,
      requests: counts.requests,
      wins: counts.wins,
      conflicts: counts.conflicts,
      changesLanded: sentChanges.length,
      otherStatuses: counts.otherStatuses,
      serverErrors: counts.serverErrors,
    },
    failures,
    durationMs: Date.now() - started,
  };
}
