import type { Insertable, Selectable } from 'kysely';

/**
 * Joint reports: a member organisation's assignment in a round is answered by a lead
 * assignment of the same round (e.g. three small kommuner that share a coordinator). One row per
 * member; the lead's one response counts for every member. See app/models/rounds/joint.server.ts.
 */
export interface JointMemberTable {
  /** The member's own assignment: covered, not reminded, not in the missing list. Unique. */
  member_assignment_id: number;
  /** The assignment whose response counts for the member. */
  lead_assignment_id: number;
  created_by: number | null;
  created_at: string;
}

export type JointMember = Selectable<JointMemberTable>;
export type NewJointMember = Insertable<JointMemberTable>;
