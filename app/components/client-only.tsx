import { useEffect, useState, type ReactNode } from 'react';

let hydrated = false;

/**
 * True once the app has hydrated in the browser. The first client render matches the server
 * (false), later mounts (client-side navigation) start at true.
 */
export function useHydrated(): boolean {
  const [isHydrated, setHydrated] = useState(hydrated);
  useEffect(() => {
    hydrated = true;
    setHydrated(true);
  }, []);
  return isHydrated;
}

/**
 * Renders `children()` only in the browser, after hydration; `fallback` on the server and in the
 * first client render. Give the fallback the size of the real content so the page does not jump.
 * `children` is a function so browser-only modules (`*.client.tsx`, empty on the server) are
 * touched only when they exist.
 */
export function ClientOnly({ children, fallback = null }: { children: () => ReactNode; fallback?: ReactNode }) {
  return useHydrated() ? <>{children()}</> : <>{fallback}</>;
}
