/**
 * Security headers for every HTML response. Scripts must carry the per-request nonce; there is
 * no 'unsafe-eval' (SurveyJS runs without it). Inline style attributes are allowed because
 * React and SurveyJS set them.
 */
export function securityHeaders(nonce: string, production: boolean): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join('; ');
  const headers: Record<string, string> = {
    'Content-Security-Policy': csp,
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
  if (production) headers['Strict-Transport-Security'] = 'max-age=31536000; includeSubDomains';
  return headers;
}

/**
 * The headers for the browser build's files under /build/ (scripts, stylesheets, their maps):
 * the document's policies (CSP, frame and opener rules, permissions, HSTS) do nothing on a
 * subresource, and on the form page's ten scripts they were ~5 KB of the bytes on the wire.
 * `nosniff` stays: it makes the browser refuse a script or stylesheet sent with the wrong type.
 * The Referrer-Policy stays for stylesheets, whose `url()` requests follow it.
 */
export function assetHeaders(): Record<string, string> {
  return { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'strict-origin-when-cross-origin' };
}
