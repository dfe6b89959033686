import type { Generated, Selectable } from 'kysely';

/** A personal API token of an admin or evaluator, for `Authorization: Bearer enk_…` on /api/v1. */
export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  /** The owner's own name for it, e.g. "R-skript statistik". */
  name: string;
  /** SHA-256 (hex) of the token; the token itself is shown once and never stored. */
  token_hash: string;
  /** The first characters of the token (`enk_` + 8), so the owner can tell tokens apart. */
  prefix: string;
  created_at: string;
  /** Updated at most once a minute. */
  last_used_at: string | null;
  revoked_at: string | null;
}

export type ApiToken = Selectable<ApiTokenTable>;
