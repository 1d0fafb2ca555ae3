import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** PEM material for a local HTTPS server: its CA, its key and certificate, and an unrelated CA. */
export interface TestCertificates {
  ca: string;
  key: string;
  cert: string;
  /** A CA that did not sign the server's certificate. */
  otherCa: string;
}

function openssl(dir: string, args: string[]) {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function makeCa(dir: string, name: string) {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
  ]);
}

/**
 * Makes a CA and a server certificate for 127.0.0.1 and localhost signed by it, plus a second,
 * unrelated CA, with the `openssl` command line in a temporary folder.
 */
export function createTestCertificates(): TestCertificates {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdeck-kube-tls-'));
  try {
    makeCa(dir, 'test-ca');
    makeCa(dir, 'other-ca');
    openssl(dir, [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=localhost',
    ]);
    fs.writeFileSync(
      path.join(dir, 'server.ext'),
      [
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        'basicConstraints=CA:FALSE',
        'keyUsage=digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
      ].join('\n'),
    );
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'test-ca.crt',
      '-CAkey',
      'test-ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '2',
      '-extfile',
      'server.ext',
    ]);
    const read = (file: string) =>
      fs.readFileSync(path.join(dir, file), 'utf8');
    return {
      ca: read('test-ca.crt'),
      key: read('server.key'),
      cert: read('server.crt'),
      otherCa: read('other-ca.crt'),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
