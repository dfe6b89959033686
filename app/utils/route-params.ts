/**
 * A route's id parameter (`/admin/omgangar/:id`) as a positive integer, or undefined when it
 * cannot be an id, so the route answers 404 without asking the database.
 * @example const id = positiveId(params.id); const round = id ? await getRound(db, id) : undefined;
 */
export function positiveId(param: string | undefined): number | undefined {
  const id = Number(param);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}
