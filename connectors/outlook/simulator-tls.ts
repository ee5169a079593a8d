import { generate } from 'selfsigned';

/**
 * The simulator speaks https only: the Graph client drops the Authorization header for http://
 * URLs and then cannot follow @odata.nextLink (API-NOTES). One self-signed certificate per process
 * (EC P-256, generated in milliseconds) for 127.0.0.1 and localhost; clients trust it through the
 * connection's `tlsCaCertificate` setting — nothing process-wide such as NODE_EXTRA_CA_CERTS.
 */
export interface SimulatorCertificate {
  /** PEM certificate: give it to clients as their trusted CA. */
  cert: string;
  key: string;
}

let pending: Promise<SimulatorCertificate> | undefined;

export function simulatorCertificate(): Promise<SimulatorCertificate> {
  pending ??= generate([{ name: 'commonName', value: 'baton-graph-simulator' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 30 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  }).then((pems) => ({ cert: pems.cert, key: pems.private }));
  return pending;
}
