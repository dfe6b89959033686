/** Any address no other route matches: a Swedish 404 through the root error boundary. */
export function loader() {
  throw new Response('Sidan finns inte', { status: 404 });
}

export default function NotFound() {
  return null;
}
