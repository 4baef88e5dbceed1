/**
 * A local certificate authority and a server certificate for 127.0.0.1 / localhost, made at start
 * with node:crypto (ECDSA P-256) and a small DER writer. Azure SDK pipelines refuse to send bearer
 * tokens over http, so the emulator serves HTTPS; clients trust `caPem` through
 * NODE_EXTRA_CA_CERTS (Node), REQUESTS_CA_BUNDLE (requests, azure-core) or SSL_CERT_FILE
 * (httpx, OpenSSL). node:crypto cannot write X.509, but a CA and one leaf need only the RFC 5280
 * fields below, so a dependency (node-forge, @peculiar/x509) would add more code than it saves.
 * The CA carries critical basicConstraints and keyUsage, the leaf SAN, EKU serverAuth, SKI and AKI:
 * what strict verifiers (Python 3.13's VERIFY_X509_STRICT) require.
 */
import { createHash, generateKeyPairSync, KeyObject, randomBytes, sign } from "node:crypto";

/** PEM texts of a generated CA and the server certificate it signed. */
export interface LocalCertificates {
  /** The CA certificate, what clients must trust. */
  readonly caPem: string;
  /** The server certificate followed by the CA (the chain to serve). */
  readonly certPem: string;
  /** The server's private key (PKCS#8). */
  readonly keyPem: string;
}

function length(n: number): Buffer {
  if (n < 0x80) {
    return Buffer.from([n]);
  }
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest >>= 8) {
    bytes.unshift(rest & 0xff);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const seq = (...items: Buffer[]) => tlv(0x30, ...items);
const octets = (data: Buffer) => tlv(0x04, data);
const bits = (data: Buffer, unused = 0) => tlv(0x03, Buffer.from([unused]), data);
const TRUE = Buffer.from([0x01, 0x01, 0xff]);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const bytes = [a * 40 + b];
  for (const n of rest) {
    const groups = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) {
      groups.unshift((v & 0x7f) | 0x80);
    }
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z";
  return tlv(0x17, Buffer.from(text, "ascii"));
}

function commonName(cn: string): Buffer {
  return seq(tlv(0x31, seq(oid("2.5.4.3"), tlv(0x0c, Buffer.from(cn, "utf8")))));
}

function extension(id: string, value: Buffer, critical = false): Buffer {
  return critical ? seq(oid(id), TRUE, octets(value)) : seq(oid(id), octets(value));
}

function spki(key: KeyObject): Buffer {
  return key.export({ type: "spki", format: "der" });
}

/** Key identifier: SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2, method 1). */
function keyId(key: KeyObject): Buffer {
  const der = spki(key);
  // P-256 SPKI: the BIT STRING holding the 65-byte point is the last 66 bytes (unused-bits byte + point).
  return createHash("sha1")
    .update(der.subarray(der.length - 65))
    .digest();
}

function serial(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return tlv(0x02, bytes);
}

interface CertSpec {
  readonly subject: string;
  readonly issuer: string;
  readonly publicKey: KeyObject;
  readonly signingKey: KeyObject;
  readonly issuerKeyId: Buffer;
  readonly extensions: readonly Buffer[];
  readonly days: number;
}

function certificate(spec: CertSpec): Buffer {
  const ecdsaSha256 = seq(oid("1.2.840.10045.4.3.2"));
  const now = Date.now();
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    serial(),
    ecdsaSha256,
    commonName(spec.issuer),
    seq(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + spec.days * 86_400_000))),
    commonName(spec.subject),
    spki(spec.publicKey),
    tlv(
      0xa3,
      seq(
        ...spec.extensions,
        extension("2.5.29.14", octets(keyId(spec.publicKey))),
        extension("2.5.29.35", seq(tlv(0x80, spec.issuerKeyId))),
      ),
    ),
  );
  const signature = sign("sha256", tbs, spec.signingKey);
  return seq(tbs, ecdsaSha256, bits(signature));
}

function pem(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** A new CA and a server certificate for 127.0.0.1, ::1 and localhost, valid `days` (default 30). */
export function generateLocalCertificates(days = 30): LocalCertificates {
  const ca = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const server = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const caName = "azure-openai-finetune emulator local CA";
  const caDer = certificate({
    subject: caName,
    issuer: caName,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    issuerKeyId: keyId(ca.publicKey),
    days,
    extensions: [
      extension("2.5.29.19", seq(TRUE), true),
      extension("2.5.29.15", bits(Buffer.from([0x06]), 1), true),
    ],
  });
  const altNames = seq(
    tlv(0x82, Buffer.from("localhost", "ascii")),
    tlv(0x87, Buffer.from([127, 0, 0, 1])),
    tlv(0x87, Buffer.alloc(16, 0).fill(1, 15)),
  );
  const serverDer = certificate({
    subject: "localhost",
    issuer: caName,
    publicKey: server.publicKey,
    signingKey: ca.privateKey,
    issuerKeyId: keyId(ca.publicKey),
    days,
    extensions: [
      extension("2.5.29.19", seq()),
      extension("2.5.29.15", bits(Buffer.from([0x80]), 7), true),
      extension("2.5.29.37", seq(oid("1.3.6.1.5.5.7.3.1"))),
      extension("2.5.29.17", altNames),
    ],
  });
  const caPem = pem(caDer);
  return {
    caPem,
    certPem: pem(serverDer) + caPem,
    keyPem: server.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}
