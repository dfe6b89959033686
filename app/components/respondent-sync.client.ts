import { sameValue, threeWayMerge, type Answers, type MergeResult } from '~/utils/merge';

/**
 * Keeps the respondent's answers safe: debounced autosave, a copy in localStorage until the
 * server has it, retries while offline, and a three-way merge when a colleague saved first.
 * It never overwrites silently: a save names the version it started from, and a 409 answer
 * is merged field by field; real conflicts go to the respondent (onConflict).
 */

export type SaveStatus =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: string }
  | { kind: 'retrying' }
  | { kind: 'conflict' }
  | { kind: 'locked'; message: string }
  | { kind: 'error'; message: string };

export interface SyncOptions {
  token: string;
  version: number;
  data: Answers;
  getData: () => Answers;
  setData: (data: Answers) => void;
  savedBy: () => string | null;
  onStatus: (status: SaveStatus) => void;
  onConflict: (merge: MergeResult) => void;
  /** Computed answers (SurveyJS expressions): never a conflict, the form recomputes them. */
  isComputed?: (key: string) => boolean;
}

interface Backup {
  baseVersion: number;
  base: Answers;
  data: Answers;
  at: string;
}

const DEBOUNCE_MS = 1200;
const backupKey = (token: string) => `enkatnav:draft:${token}`;

export class DraftSync {
  version: number;
  /** The server's answers at `version`: the base of the next merge. */
  private base: Answers;
  private dirty = false;
  private paused = false;
  private inFlight: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private retryDelay = 1000;
  private pendingMerge: MergeResult | null = null;
  private status: SaveStatus['kind'] = 'idle';

  constructor(private readonly o: SyncOptions) {
    this.version = o.version;
    this.base = o.data;
  }

  /** Applies an unsaved copy left in this browser (offline, closed tab) and saves it. */
  restoreBackup(): void {
    const backup = readBackup(this.o.token);
    if (!backup) return;
    if (sameValue(backup.data, this.base)) return clearBackup(this.o.token);
    if (backup.baseVersion === this.version) this.o.setData(backup.data);
    else if (!this.mergeWith(backup.base, backup.data, this.base)) return;
    this.dirty = true;
    void this.flush();
  }

  /** Call on every answer change. */
  changed(): void {
    this.dirty = true;
    if (this.status !== 'retrying' && this.status !== 'pending' && !this.paused) this.setStatus({ kind: 'pending' });
    this.writeBackup();
    this.schedule(DEBOUNCE_MS);
  }

  /** Saves now (page change, leaving, back online). Resolves when nothing is in flight. */
  flush(options: { keepalive?: boolean } = {}): Promise<void> {
    clearTimeout(this.timer);
    if (this.paused || !this.dirty) return this.inFlight ?? Promise.resolve();
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = this.send(options.keepalive ?? false).finally(() => {
      this.inFlight = null;
      if (this.again) {
        this.again = false;
        if (this.dirty && !this.paused) void this.flush();
      }
    });
    return this.inFlight;
  }

  /** Waits until no save is in flight; used before submitting. */
  async settle(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  hasUnsaved(): boolean {
    return this.dirty;
  }

  /** The respondent chose per conflicting field; merge, then save. */
  resolve(choices: Record<string, 'mine' | 'theirs'>): void {
    const merge = this.pendingMerge;
    if (!merge) return;
    const data: Answers = { ...merge.merged };
    for (const c of merge.conflicts) {
      const v = choices[c.key] === 'theirs' ? c.theirs : c.mine;
      if (v === undefined) delete data[c.key];
      else data[c.key] = v;
    }
    this.pendingMerge = null;
    this.paused = false;
    this.o.setData(data);
    this.dirty = true;
    this.writeBackup();
    void this.flush();
  }

  /** Takes the server's newer version after a 409 (from a save or a submit). */
  handleConflict(body: { version: number; data: Answers; base: Answers }): void {
    if (this.mergeWith(body.base, this.o.getData(), body.data, body.version)) {
      this.dirty = true;
      this.writeBackup();
      void Promise.resolve().then(() => this.flush());
    }
  }

  /** Marks the current answers as what the server has (after a submit that saved a draft). */
  acknowledge(version: number, data: Answers): void {
    this.version = version;
    this.base = data;
    if (sameValue(this.o.getData(), data)) {
      this.dirty = false;
      clearBackup(this.o.token);
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.paused = true;
  }

  /** Saves again after stop(), e.g. when a submit was refused; sends what changed meanwhile. */
  resume(): void {
    if (!this.paused || this.pendingMerge) return;
    this.paused = false;
    if (this.dirty) this.schedule(DEBOUNCE_MS);
  }

  clearBackup(): void {
    clearBackup(this.o.token);
  }

  /** Returns true when merged without conflicts; otherwise pauses for the respondent. */
  private mergeWith(base: Answers, mine: Answers, theirs: Answers, theirsVersion?: number): boolean {
    if (theirsVersion !== undefined) {
      this.version = theirsVersion;
      this.base = theirs;
    }
    const merge = threeWayMerge(base, mine, theirs);
    merge.conflicts = merge.conflicts.filter((c) => !this.o.isComputed?.(c.key));
    if (merge.conflicts.length === 0) {
      this.o.setData(merge.merged);
      return true;
    }
    this.pendingMerge = merge;
    this.paused = true;
    clearTimeout(this.timer);
    this.setStatus({ kind: 'conflict' });
    this.o.onConflict(merge);
    return false;
  }

  private setStatus(status: SaveStatus): void {
    this.status = status.kind;
    this.o.onStatus(status);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), ms);
  }

  private writeBackup(): void {
    try {
      const backup: Backup = { baseVersion: this.version, base: this.base, data: this.o.getData(), at: new Date().toISOString() };
      localStorage.setItem(backupKey(this.o.token), JSON.stringify(backup));
    } catch {
      /* storage full or disabled: the server copy is all we have */
    }
  }

  private async send(keepalive: boolean): Promise<void> {
    const data = this.o.getData();
    const sent = JSON.stringify(data);
    this.setStatus({ kind: 'saving' });
    let res: Response;
    try {
      res = await fetch(`/svar/${this.o.token}/spara`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ baseVersion: this.version, data, savedBy: this.o.savedBy() }),
        keepalive: keepalive && sent.length < 60_000,
      });
    } catch {
      return this.retryLater();
    }
    if (res.status >= 500) return this.retryLater();
    const body = (await res.json().catch(() => ({}))) as Record<string, any>;
    if (res.ok) {
      this.retryDelay = 1000;
      this.version = body.version;
      this.base = JSON.parse(sent) as Answers;
      if (JSON.stringify(this.o.getData()) === sent) {
        this.dirty = false;
        clearBackup(this.o.token);
      } else this.schedule(DEBOUNCE_MS);
      this.setStatus(this.dirty ? { kind: 'pending' } : { kind: 'saved', at: body.savedAt ?? new Date().toISOString() });
      return;
    }
    if (res.status === 409 && body.reason === 'conflict') return this.handleConflict(body as never);
    this.paused = true;
    if (res.status === 409) this.setStatus({ kind: 'locked', message: body.message ?? 'Formuläret är låst.' });
    else this.setStatus({ kind: 'error', message: body.message ?? 'Svaren kunde inte sparas.' });
  }

  private retryLater(): void {
    this.setStatus({ kind: 'retrying' });
    this.schedule(this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, 30_000);
  }
}

function readBackup(token: string): Backup | null {
  try {
    const raw = localStorage.getItem(backupKey(token));
    return raw ? (JSON.parse(raw) as Backup) : null;
  } catch {
    return null;
  }
}

function clearBackup(token: string): void {
  try {
    localStorage.removeItem(backupKey(token));
  } catch {
    /* ignore */
  }
}

const IDENTITY_KEY = 'enkatnav:respondent';

export interface Identity {
  name: string;
  email: string;
}

/** The respondent's name and e-mail, asked once and remembered in this browser. */
export function readIdentity(): Identity | null {
  try {
    const raw = localStorage.getItem(IDENTITY_KEY);
    const v = raw ? (JSON.parse(raw) as Identity) : null;
    return v && typeof v.name === 'string' && v.name.trim() ? { name: v.name, email: typeof v.email === 'string' ? v.email : '' } : null;
  } catch {
    return null;
  }
}

export function writeIdentity(identity: Identity): void {
  try {
    localStorage.setItem(IDENTITY_KEY, JSON.stringify(identity));
  } catch {
    /* ignore */
  }
}
