/** A plain notice for a part of the product that is not built yet. */
export function NotBuilt({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <>
      <h1>{title}</h1>
      <p className="notice">{children}</p>
    </>
  );
}
