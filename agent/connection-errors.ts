/**
 * Turns a failed connection into a message naming the cause and the fix: the registration
 * failures the reference agent reports (network blocked by a proxy or firewall, TLS
 * interception, a self-signed certificate), as Upkeep's agent meets them.
 */
import { isIP } from 'node:net';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';

const networkCodes: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ETIMEDOUT: 'the connection timed out',
  EAI_AGAIN: 'the name could not be resolved (DNS unavailable)',
  ENOTFOUND: 'the host name does not exist',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending',
  UND_ERR_SOCKET: 'the connection was closed',
};

const tlsCodes = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return '';
}

export function isTlsError(error: unknown): boolean {
  return tlsCodes.has(errorCode(error));
}

/** A network failure worth retrying later (anything that is not a TLS verification problem). */
export function isTransientNetworkError(error: unknown): boolean {
  return !isTlsError(error);
}

/** "cannot reach https://…: the connection was refused (ECONNREFUSED): check the proxy/firewall…" */
export function describeNetworkError(error: unknown, url: string): string {
  const code = errorCode(error);
  const what = networkCodes[code] ?? (error instanceof Error ? error.message : String(error));
  return `cannot reach ${url}: ${what}${code ? ` (${code})` : ''}: check the proxy/firewall between this machine and the server, and that the server is running.`;
}

/** Names the certificate's issuer and the two fixes: trust the CA with --ca, or stop the interception. */
export async function describeTlsError(error: unknown, url: string): Promise<string> {
  const code = errorCode(error);
  const issuer = await peerIssuer(url).catch(() => undefined);
  const from = issuer ? ` The server presented a certificate issued by "${issuer}".` : '';
  const cause = code === 'ERR_TLS_CERT_ALTNAME_INVALID'
    ? `the certificate of ${url} does not name that host (${code}).`
    : code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID'
      ? `the certificate of ${url} is outside its validity period (${code}).`
      : `the certificate of ${url} is not signed by an authority this machine trusts (${code}).`;
  return `TLS problem: ${cause}${from} If that is your server's own (self-signed or private) authority, pass its certificate with --ca FILE; if not, a proxy is intercepting TLS: exempt the server's address from inspection or trust the proxy's authority with --ca.`;
}

/** Connects once without verification, only to read who issued the certificate for the message. */
function peerIssuer(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: hostname, port: Number(port || 443), ...(isIP(hostname) ? {} : { servername: hostname }), rejectUnauthorized: false }, () => {
      const cert: PeerCertificate = socket.getPeerCertificate();
      socket.destroy();
      const parts = [cert.issuer?.CN, cert.issuer?.O].filter((p): p is string => typeof p === 'string' && p !== '');
      resolve(parts.join(', ') || 'an unnamed issuer');
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.on('error', reject);
  });
}
