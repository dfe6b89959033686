import { largestRemainder } from './allocation';

/**
 * A joint återrapportering (app/models/rounds/joint.server.ts: a lead answers for member
 * organisations) reports one used and one granted amount for the whole group; the form has no
 * per-member amounts. The ledger needs each recipient's own share, so its status derives:
 *
 * - the group is the lead and the members that have a row in the year's ledger; with more than
 *   one, only those that requested (a recipient that did not request received nothing);
 * - each share is proportional to the recipient's paid amount; if nothing in the group is paid
 *   yet, to its requested (else allocated) amount; if all weights are 0, equal shares;
 * - amounts are whole kronor by largest remainder (ties by organisation code), so the shares sum
 *   exactly to the reported amounts.
 * Pure, so the rule is tested on its own.
 */

export interface JointShareInput {
  ledgerId: number;
  code: string;
  requested: boolean;
  paid_sek: number | null;
  requested_sek: number | null;
  allocated_sek: number;
}

export interface JointShare {
  ledgerId: number;
  used_sek: number | null;
  reported_sek: number | null;
}

/**
 * @example splitJointReport(group, 300_000, 400_000) // [{ ledgerId: 1, used_sek: 150 000, … }, …]
 */
export function splitJointReport(group: JointShareInput[], used: number | null, reported: number | null): JointShare[] {
  const takers = group.length > 1 ? group.filter((g) => g.requested) : group;
  if (takers.length === 0) return [];
  const anyPaid = takers.some((g) => (g.paid_sek ?? 0) > 0);
  let weights = takers.map((g) => (anyPaid ? (g.paid_sek ?? 0) : (g.requested_sek ?? g.allocated_sek)));
  if (weights.every((w) => w === 0)) weights = takers.map(() => 1);
  const codes = takers.map((g) => g.code);
  const usedShares = used == null ? null : largestRemainder(used, weights, codes);
  const reportedShares = reported == null ? null : largestRemainder(reported, weights, codes);
  return takers.map((g, i) => ({ ledgerId: g.ledgerId, used_sek: usedShares ? usedShares[i] : null, reported_sek: reportedShares ? reportedShares[i] : null }));
}
