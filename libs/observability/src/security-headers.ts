import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The Content-Security-Policy every response gets unless a page sets its own: a JSON API loads
 * nothing, so nothing is allowed, and no one may frame it. Pages (the scan page, the console, the
 * API docs) replace it with the narrowest policy that page needs.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Security headers on every HTTP response (helmet): no MIME sniffing, no referrer leaks, no framing (X-Frame-Options for old browsers, frame-ancestors for the rest),
 * a same-origin opener and resource policy, HSTS (browsers honour it only over HTTPS, where a
 * deployment's ingress terminates TLS), and the API's deny-all CSP above.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    // Proof bundles and QR images are fetched cross-origin by verifiers and label tools.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  }) as unknown as RequestHandler;
}

/** Sets the API's CSP before the handler runs, so a page's own `Content-Security-Policy` replaces it. */
export const apiContentSecurityPolicy: RequestHandler = (_request, response, next) => {
  response.setHeader('Content-Security-Policy', API_CONTENT_SECURITY_POLICY);
  next();
};
